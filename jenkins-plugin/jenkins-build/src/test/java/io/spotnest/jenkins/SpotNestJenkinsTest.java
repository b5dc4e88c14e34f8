package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Label;
import hudson.model.Node;
import hudson.model.labels.LabelAtom;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner.PlannedNode;
import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.AgentLaunchRequest;
import io.spotnest.jenkins.port.AgentPlacement;
import io.spotnest.jenkins.port.AgentStatus;
import io.spotnest.jenkins.port.HostStatus;
import io.spotnest.jenkins.port.MarketPolicy;
import io.spotnest.jenkins.port.SpotNestController;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The plugin in a real Jenkins 2.541.3 (JenkinsRule), with a fake orchestrator behind the port. */
@WithJenkins
class SpotNestJenkinsTest {

    private static SpotNestCloud cloud() {
        SpotNestTemplate template = new SpotNestTemplate("linux spotnest-it");
        template.setVcpus(4);
        template.setMemoryMb(8192);
        template.setImage("spotnest-agent");
        template.setMarketPolicy(MarketPolicy.SPOT_ONLY);
        template.setStandingCopy(true);
        template.setMaxAgents(3);
        template.setIdleMinutes(5);
        template.setInitScript("echo ready");
        SpotNestCloud cloud = new SpotNestCloud("nest");
        cloud.setMaxAgents(7);
        cloud.setJenkinsUrl("http://127.0.0.1:8080/jenkins/");
        cloud.setTemplates(List.of(template));
        return cloud;
    }

    @Test
    void the_cloud_form_round_trips(JenkinsRule r) throws Exception {
        SpotNestCloud before = cloud();
        r.jenkins.clouds.add(before);
        // configRoundtrip(Cloud) posts to configureClouds/, which 2.541.3 no longer has: use the cloud's own page.
        HtmlPage page = r.createWebClient().goTo(before.getUrl() + "configure");
        r.submit(page.getFormByName("config"));
        SpotNestCloud after = (SpotNestCloud) r.jenkins.clouds.getByName("nest");
        r.assertEqualDataBoundBeans(before, after);
    }

    @Test
    void provisioning_creates_a_node_with_the_template_labels(JenkinsRule r) throws Exception {
        SpotNestCloud cloud = cloud();
        r.jenkins.clouds.add(cloud);
        Label label = Label.parseExpression("linux && spotnest-it");
        assertTrue(cloud.canProvision(new Cloud.CloudState(label, 0)));

        Collection<PlannedNode> planned = cloud.provision(new Cloud.CloudState(label, 0), 1);
        assertEquals(1, planned.size());
        Node node = planned.iterator().next().future.get();
        r.jenkins.addNode(node);

        assertTrue(node.getAssignedLabels().containsAll(List.of(LabelAtom.get("linux"), LabelAtom.get("spotnest-it"))));
        assertTrue(label.matches(node));
        assertEquals(Node.Mode.EXCLUSIVE, node.getMode());
        assertTrue(((SpotNestLauncher) ((SpotNestAgent) node).getLauncher()).isWebSocket());
    }

    @Test
    void the_admin_page_is_for_administrators_only_and_its_actions_take_post_only(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("user"));
        FakeBackend backend = r.jenkins.getExtensionList(SpotNestBackend.class).get(FakeBackend.class);

        JenkinsRule.WebClient user = r.createWebClient().login("user");
        user.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(403, user.goTo("manage/spotnest/").getWebResponse().getStatusCode());
        WebRequest post = new WebRequest(user.createCrumbedUrl("manage/spotnest/migrateNow"), HttpMethod.POST);
        post.setRequestBody("agent=nest-1");
        assertEquals(403, user.getPage(post).getWebResponse().getStatusCode());

        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        admin.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(200, admin.goTo("manage/spotnest/").getWebResponse().getStatusCode());
        assertNotEquals(200, admin.goTo("manage/spotnest/migrateNow?agent=nest-1").getWebResponse().getStatusCode());
        assertTrue(backend.migrated.isEmpty(), "GET must not migrate");

        WebRequest adminPost = new WebRequest(admin.createCrumbedUrl("manage/spotnest/migrateNow"), HttpMethod.POST);
        adminPost.setRequestParameters(List.of(new org.htmlunit.util.NameValuePair("agent", "nest-1")));
        admin.getPage(adminPost);
        assertEquals(List.of("nest-1"), backend.migrated);
    }

    /** The orchestrator port, faked. */
    @TestExtension
    public static class FakeBackend implements SpotNestBackend, SpotNestController {
        final List<String> migrated = new CopyOnWriteArrayList<>();

        @Override
        public SpotNestController controller() {
            return this;
        }

        @Override
        public CompletableFuture<AgentPlacement> startAgent(AgentLaunchRequest request) {
            return CompletableFuture.completedFuture(new AgentPlacement(request.agentName(), "host-a"));
        }

        @Override
        public void terminateAgent(String agentName) {
        }

        @Override
        public List<AgentStatus> agents() {
            return List.of();
        }

        @Override
        public List<HostStatus> hosts() {
            return List.of(new HostStatus("host-a", "spot", 0.2, 0, false));
        }

        @Override
        public List<String> images() {
            return List.of("spotnest-agent", "spotnest-agent-jdk21");
        }

        @Override
        public void migrateNow(String agentName) {
            migrated.add(agentName);
        }

        @Override
        public void drainHost(String hostId) {
        }

        @Override
        public AutoCloseable subscribe(Consumer<AgentEvent> listener) {
            return () -> { };
        }
    }
}

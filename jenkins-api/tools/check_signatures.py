#!/usr/bin/env python3
import re, subprocess, sys, os
# usage: check_signatures.py JENKINS_GIT_DIR STAPLER_GIT_DIR
# Compares every member and class header of this module with the real sources at the tags in README.md.
J, S = sys.argv[1], sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'java')
def real(path):
    if path.startswith('org/kohsuke/stapler'):
        r=subprocess.run(['git','-C',S,'show','2050.v425108fd5089:core/src/main/java/'+path],capture_output=True,text=True)
    else:
        r=subprocess.run(['git','-C',J,'show','jenkins-2.541.3:core/src/main/java/'+path],capture_output=True,text=True)
    return r.stdout if r.returncode==0 else None
def strip(s):
    s=re.sub(r'/\*.*?\*/','',s,flags=re.S); s=re.sub(r'//[^\n]*','',s)
    s=re.sub(r'@(NonNull|CheckForNull|Nullable|Override|Deprecated|SuppressWarnings\([^)]*\)|GuardedBy\([^)]*\)|Restricted\([^)]*\)|Exported(\([^)]*\))?|Argument\([^)]*\))','',s)
    return re.sub(r'\s+',' ',s)
decl=re.compile(r'((?:public|protected)[^;{=()]*?)\b(\w+)\s*\(([^)]*)\)')
def norm_params(p):
    out=[]
    for part in [x.strip() for x in p.split(',') if x.strip()]:
        part=re.sub(r'\bfinal\b','',part).strip()
        toks=part.rsplit(' ',1)
        t=toks[0].strip() if len(toks)==2 else part
        t=re.sub(r'\s+','',t); t=t.split('.')[-1] if '<' not in t else t
        out.append(t)
    return tuple(out)
bad=0
for dp,_,fs in os.walk(root):
    for f in fs:
        path=os.path.relpath(os.path.join(dp,f),root)
        mine=strip(open(os.path.join(dp,f)).read())
        r=real(path)
        if r is None:
            print('NO REAL SOURCE', path); continue
        r=strip(r)
        realsigs={}
        for m in decl.finditer(r):
            realsigs.setdefault(m.group(2),set()).add((norm_params(m.group(3)), re.sub(r'\s+',' ',m.group(1)).strip()))
        for m in decl.finditer(mine):
            name=m.group(2); ps=norm_params(m.group(3)); mods=re.sub(r'\s+',' ',m.group(1)).strip()
            if name in ('if','for','while','switch','catch','synchronized','return','new','super','this'): continue
            cands=realsigs.get(name)
            if not cands or ps not in {c[0] for c in cands}:
                print('MISMATCH', path, mods, name, ps, '| real:', sorted(cands)[:3] if cands else None); bad+=1
            else:
                rm=[c[1] for c in cands if c[0]==ps]
                if mods not in rm:
                    print('MODS', path, name, ps, 'mine=',mods,'real=',rm)
print('member mismatches', bad)

# --- class headers and fields ---
hdr=re.compile(r'\b(public|protected)?\s*((?:abstract|final|static)\s+)*(class|interface|enum|@interface)\s+(\w+)\s*(<[^{]*?>)?\s*(extends\s+([^{]*?))?\s*(implements\s+([^{]*?))?\s*\{')
fld=re.compile(r'\b(public|protected)\s+((?:static|final|transient|volatile)\s+)*([\w.<>?, \[\]]+?)\s+(\w+)\s*[;=]')
for dp,_,fs in os.walk(root):
    for f in fs:
        path=os.path.relpath(os.path.join(dp,f),root); r=real(path)
        if r is None: continue
        mine=strip(open(os.path.join(dp,f)).read()); r=strip(r)
        rh={m.group(4):m for m in hdr.finditer(r)}
        for m in hdr.finditer(mine):
            n=m.group(4); q=rh.get(n)
            if not q: print('NO CLASS', path, n); continue
            def split(x): return {re.sub(r'\s+','',t).split('.')[-1] for t in re.split(r',(?![^<]*>)', x or '') if t.strip()}
            if (m.group(3),(m.group(5) or '').replace(' ',''))!=(q.group(3),(q.group(5) or '').replace(' ','')): print('KIND/TYPEPARAMS', path, n, m.group(3), m.group(5), '| real', q.group(3), q.group(5))
            if split(m.group(7))!=split(q.group(7)) and m.group(3)!='interface': print('EXTENDS', path, n, m.group(7), '| real', q.group(7))
            if m.group(3)=='interface' and not split(m.group(7))<=split(q.group(7)): print('IFACE-EXTENDS', path, n, m.group(7),'| real', q.group(7))
            missing=split(m.group(9))-split(q.group(9))
            if missing: print('IMPLEMENTS not in real', path, n, missing)
            if (m.group(2) or '').strip()!=(q.group(2) or '').strip(): print('CLASSMODS', path, n, repr(m.group(2)), '| real', repr(q.group(2)))
        rf={m.group(4):(m.group(1),(m.group(2) or '').strip(),re.sub(r'\s','',m.group(3))) for m in fld.finditer(r)}
        for m in fld.finditer(mine):
            n=m.group(4); mine_sig=(m.group(1),(m.group(2) or '').strip(),re.sub(r'\s','',m.group(3)))
            if n not in rf: print('FIELD not in real', path, n, mine_sig)
            elif rf[n]!=mine_sig: print('FIELD differs', path, n, mine_sig, '| real', rf[n])
print('done')

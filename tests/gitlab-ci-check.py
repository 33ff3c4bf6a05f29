#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A dry parse of a GitLab CI pipeline (there is no offline gitlab-ci linter):
the keys GitLab requires, jobs that reference each other exist, parallel
jobs' counts agree with the gate's --expect-shards, and every script is
shell that `bash -n` accepts. Prints one line per problem; exit 1 if any."""
import re
import subprocess
import sys

import yaml

GLOBAL = {'stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache',
          'before_script', 'after_script'}
JOB_KEYS = {'stage', 'script', 'extends', 'tags', 'parallel', 'needs', 'artifacts', 'variables', 'when',
            'rules', 'image', 'services', 'before_script', 'after_script', 'allow_failure', 'timeout',
            'retry', 'dependencies', 'cache', 'resource_group', 'interruptible', 'environment', 'trigger'}


def merge(base, over):
    """GitLab's extends: hashes merge deeply, everything else is replaced."""
    out = dict(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def main(path):
    errs = []
    doc = yaml.safe_load(open(path))
    if not isinstance(doc, dict):
        return [f'{path}: not a mapping of jobs']
    stages = doc.get('stages', ['build', 'test', 'deploy'])

    def resolve(name, seen=()):
        job = doc[name]
        if not isinstance(job, dict):
            errs.append(f'{path}: {name}: not a mapping')
            return {}
        ext = job.get('extends', [])
        out = {}
        for e in [ext] if isinstance(ext, str) else ext:
            if e not in doc or e in seen:
                errs.append(f'{path}: {name}: extends {e!r}, which is not defined' if e not in doc
                            else f'{path}: {name}: extends {e!r} in a loop')
                continue
            out = merge(out, resolve(e, seen + (name,)))
        return merge(out, {k: v for k, v in job.items() if k != 'extends'})

    jobs = {n: resolve(n) for n in doc if n not in GLOBAL and not n.startswith('.')}
    if not jobs:
        errs.append(f'{path}: no job')
    for name, job in jobs.items():
        where = f'{path}: job {name}'
        for k in job:
            if k not in JOB_KEYS:
                errs.append(f'{where}: unknown key {k!r}')
        if 'script' not in job and 'trigger' not in job:
            errs.append(f'{where}: no script')
        script = job.get('script', [])
        if not isinstance(script, list) or not all(isinstance(s, str) for s in script):
            errs.append(f'{where}: script is not a list of strings')
            script = []
        sh = subprocess.run(['bash', '-n'], input='\n'.join(script), text=True, capture_output=True)
        if sh.returncode:
            errs.append(f'{where}: script is not shell: {sh.stderr.strip()}')
        stage = job.get('stage', 'test')
        if stage not in stages:
            errs.append(f'{where}: stage {stage!r} is not one of stages {stages}')
        names = set(job.get('variables', {}))
        count = 1
        par = job.get('parallel')
        if isinstance(par, int):
            count = par
        elif isinstance(par, dict):
            count = 0
            for row in par.get('matrix', []):
                n = 1
                for var, vals in row.items():
                    names.add(var)
                    n *= len(vals) if isinstance(vals, list) else 1
                count += n
        elif par is not None:
            errs.append(f'{where}: parallel is neither a number nor a matrix')
        if par is not None and not 2 <= count <= 200:
            errs.append(f'{where}: parallel makes {count} jobs, GitLab takes 2 to 200')
        job['_count'] = count
        if par is not None and not any('$CI_NODE_INDEX/$CI_NODE_TOTAL' in s for s in script):
            errs.append(f'{where}: parallel, but no script line runs its shard ($CI_NODE_INDEX/$CI_NODE_TOTAL)')
        tags = job.get('tags', [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            errs.append(f'{where}: tags are not a list of strings')
        for t in tags if isinstance(tags, list) else []:
            for var in re.findall(r'\$\{?(\w+)', str(t)):
                if var not in names:
                    errs.append(f'{where}: tag {t!r} names ${var}, which neither its matrix nor its variables set')
    for name, job in jobs.items():
        where = f'{path}: job {name}'
        needed = []
        for n in job.get('needs', []) + job.get('dependencies', []):
            n = n.get('job') if isinstance(n, dict) else n
            if n not in jobs:
                errs.append(f'{where}: needs {n!r}, which is not a job')
                continue
            needed.append(n)
            order = [stages.index(j.get('stage', 'test')) if j.get('stage', 'test') in stages else 0
                     for j in (jobs[n], job)]
            if order[0] > order[1]:
                errs.append(f'{where}: needs {n!r} of a later stage')
        for s in job.get('script', []):
            for want in re.findall(r'--expect-shards\s+(\d+)', s):
                for n in needed:
                    if jobs[n]['_count'] != int(want):
                        errs.append(f'{where}: --expect-shards {want}, but {n} runs {jobs[n]["_count"]} shards')
    return errs


if __name__ == '__main__':
    problems = [e for p in sys.argv[1:] for e in main(p)]
    print('\n'.join(problems))
    sys.exit(1 if problems else 0)

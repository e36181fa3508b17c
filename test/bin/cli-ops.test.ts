import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { bundle } from '../helpers/bundle';
import { CLEAN_RUNS, NEW_DEPLOYMENT, newTask, post, pre } from '../ops/gate-fixtures';
import { captureIo } from '../helpers/cli-io';
import type { RunRecord } from '../../lambda/detector/types';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { handInvoked, INTERLEAVE_CRON_ARGS, record, runsDir, scheduledRecords } from '../helpers/runs';

async function run(args: string[], now = '2026-06-02T00:00:00Z', env: Record<string, string> = {}) {
  const io = captureIo({ now, env });
  // These tests count the interleave's windows; the default cadence is tested with its own records.
  const withCrons = args[0] === 'gap' && !args.includes('--cron') ? [...args, ...INTERLEAVE_CRON_ARGS] : args;
  const code = await main(withCrons, io);
  return { code, out: io.out, err: io.err };
}

const DAY = (d: string) => ['--created-after', `${d}T12:00:00Z`, '--until', `${d}T23:00:00Z`];

describe('gap', () => {
  it('covers a whole normal session day: 54 primary + 45 fallback windows', async () => {
    const dir = await runsDir(scheduledRecords('2026-06-01T00:00:00Z', '2026-06-01T23:59:00Z'));
    const r = await run(['gap', '--runs-dir', dir, '--json', ...DAY('2026-06-01')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      expected: 99,
      covered: 99,
      missing_windows: [],
      runs_outside_windows: [],
      verdict: 'covered',
    });
  });

  it.each(['2026-03-09', '2026-11-02'])(
    'keeps the same UTC windows across the DST change (%s)',
    async (day) => {
      const dir = await runsDir(scheduledRecords(`${day}T00:00:00Z`, `${day}T23:59:00Z`));
      // Judged at the end of that day: a day still ahead is not due yet (the range ends at now).
      const r = await run(['gap', '--runs-dir', dir, '--json', ...DAY(day)], `${day}T23:59:00Z`);
      expect(JSON.parse(r.out)).toMatchObject({ expected: 99, covered: 99 });
      expect(r.code).toBe(0);
    },
  );

  it('expects the schedules to fire on a weekday holiday (Thanksgiving) and reports them missing', async () => {
    const dir = await runsDir([]);
    const r = await run(['gap', '--runs-dir', dir, '--json', ...DAY('2026-11-26')], '2026-11-27T00:00:00Z');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toMatchObject({ expected: 99, covered: 0, verdict: 'missing' });
  });

  it('handles a range that crosses midnight UTC', async () => {
    const dir = await runsDir(scheduledRecords('2026-06-01T21:00:00Z', '2026-06-02T13:30:00Z'));
    const r = await run(
      [
        'gap',
        '--runs-dir',
        dir,
        '--json',
        '--created-after',
        '2026-06-01T21:00:00Z',
        '--until',
        '2026-06-02T13:30:00Z',
      ],
      '2026-06-02T14:00:00Z',
    );
    const report = JSON.parse(r.out);
    // 21:07..21:57 (6 + 5) on day one, 13:07..13:27 (3 + 2) on day two.
    expect(report).toMatchObject({ expected: 16, covered: 16, verdict: 'covered' });
  });

  it('reports a missing window with its schedule, and a manual run does not count', async () => {
    const records = scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T14:00:00Z').filter(
      (r) => !r.checked_at.startsWith('2026-06-01T13:07') && !r.checked_at.startsWith('2026-06-01T13:12'),
    );
    records.push(record('2026-06-01T13:08:00Z', 'manual'));
    const dir = await runsDir(records);
    const r = await run([
      'gap',
      '--runs-dir',
      dir,
      '--created-after',
      '2026-06-01T13:00:00Z',
      '--until',
      '2026-06-01T14:00:00Z',
    ]);
    expect(r.code).toBe(4);
    expect(r.out).toContain('MISSING primary 2026-06-01T13:07:00Z');
    // Per schedule: the 13:17 primary run is within the 13:12 fallback window's grace, yet never covers it.
    expect(r.out).toContain('MISSING fallback 2026-06-01T13:12:00Z');
    expect(r.out).toContain('VERDICT: scheduled checks were missed');
  });

  it('does not let a run later than the grace cover its window, and lists it as outside any window', async () => {
    const records = scheduledRecords('2026-06-01T21:00:00Z', '2026-06-01T21:56:00Z');
    records.push(record('2026-06-01T22:06:00Z', 'schedule:primary', '2026-06-01T21:57:00Z')); // 21:57 + 9 min
    const dir = await runsDir(records);
    const r = await run([
      'gap',
      '--runs-dir',
      dir,
      '--json',
      '--created-after',
      '2026-06-01T21:00:00Z',
      '--until',
      '2026-06-01T22:30:00Z',
    ]);
    const report = JSON.parse(r.out);
    expect(report.missing_windows).toEqual([{ schedule: 'primary', at: '2026-06-01T21:57:00Z' }]);
    expect(report.runs_outside_windows).toEqual([
      { checked_at: '2026-06-01T22:06:00Z', trigger: 'schedule:primary' },
    ]);
    expect(r.code).toBe(4);
  });

  it('counts a window whose grace has not ended as pending, not missing', async () => {
    const dir = await runsDir(scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T13:10:00Z'));
    const r = await run(
      ['gap', '--runs-dir', dir, '--json', '--created-after', '2026-06-01T13:00:00Z'],
      '2026-06-01T13:15:00Z',
    );
    expect(JSON.parse(r.out)).toMatchObject({
      expected: 1,
      covered: 1,
      pending_windows: [{ schedule: 'fallback', at: '2026-06-01T13:12:00Z' }],
    });
    expect(r.code).toBe(0);
  });

  it('skips malformed records with a warning, never a crash', async () => {
    const dir = await runsDir(scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T13:30:00Z'));
    mkdirSync(join(dir, 'junk'), { recursive: true });
    writeFileSync(join(dir, 'junk/broken.json'), '{"schema": ');
    writeFileSync(join(dir, 'junk/other.json'), '{"hello": "world"}');
    const r = await run([
      'gap',
      '--runs-dir',
      dir,
      '--created-after',
      '2026-06-01T13:00:00Z',
      '--until',
      '2026-06-01T13:30:00Z',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('skipped 2 unreadable run record(s)');
    expect(r.err).toContain('junk/broken.json: not JSON');
  });

  it('takes --cron overrides and rejects bad ones', async () => {
    const dir = await runsDir([record('2026-06-01T13:00:30Z', 'schedule:primary')]);
    const ok = await run([
      'gap',
      '--runs-dir',
      dir,
      '--json',
      '--cron',
      'primary=cron(0 13 ? * MON-FRI *)',
      '--cron',
      'fallback=cron(0 13 ? * SAT *)',
      '--created-after',
      '2026-06-01T12:00:00Z',
      '--until',
      '2026-06-01T14:00:00Z',
    ]);
    expect(JSON.parse(ok.out)).toMatchObject({ expected: 1, covered: 1 });
    expect(
      (
        await run([
          'gap',
          '--runs-dir',
          dir,
          '--cron',
          'primary=rate(5 minutes)',
          '--created-after',
          '2026-06-01',
        ])
      ).code,
    ).toBe(2);
    expect((await run(['gap', '--runs-dir', dir])).code).toBe(2);
    expect((await run(['gap', '--runs-dir', dir, '--created-after', 'yesterday'])).code).toBe(2);
  });
});

describe('prove-deploy', () => {
  const T = '2026-06-01T14:00:00Z';
  const V = 'c0ffee0123456789';
  /** A run the scheduler started: execution id, scheduled time, the code version it ran. */
  const scheduled = (at: string, scheduledTime: string, extra: Record<string, string> = {}) => {
    const r = record(at, 'schedule:primary');
    return {
      ...r,
      trigger: {
        ...r.trigger,
        execution_id: 'exec-1',
        scheduled_time: scheduledTime,
        code_version: V,
        ...extra,
      },
    };
  };
  const handlerLine = (extra: Record<string, unknown> = {}) => ({
    level: 'INFO',
    message: 'check observe: no open events: keep observing',
    timestamp: '2026-06-01T14:07:31.412Z',
    service: 'aegis-pt-health',
    trigger: 'schedule:primary',
    execution_id: 'exec-1',
    scheduled_time: '2026-06-01T14:07:00Z',
    code_version: V,
    ...extra,
  });
  const logsDir = mkdtempSync(join(tmpdir(), 'aegis-logs-'));
  const logFile = (name: string, text: string) => {
    const path = join(logsDir, name);
    writeFileSync(path, text);
    return path;
  };
  const filterLogEvents = logFile(
    'filter.json',
    JSON.stringify(
      {
        events: [
          {
            logStreamName: '2026/06/01/[$LATEST]0123456789abcdef',
            timestamp: Date.parse('2026-06-01T14:07:31.412Z'),
            message: JSON.stringify(handlerLine()) + '\n',
            ingestionTime: Date.parse('2026-06-01T14:07:32Z'),
            eventId: '1',
          },
        ],
        searchedLogStreams: [],
      },
      null,
      2,
    ),
  );
  const prove = (dir: string, ...extra: string[]) =>
    run(['prove-deploy', '--runs-dir', dir, '--started-at', T, '--code-version', V, ...extra]);

  it('is proven by a scheduler-started run of the new code, seen in the records and in the log', async () => {
    const dir = await runsDir([scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')]);
    const r = await prove(dir, '--log-file', filterLogEvents);
    expect(r.out).toContain(
      'run record: 2026-06-01T14:07:30Z schedule:primary execution exec-1 scheduled 2026-06-01T14:07:00Z code c0ffee0123456789',
    );
    expect(r.out).toContain('VERDICT: the deployed code ran on its schedule');
    expect(r.code).toBe(0);
  });

  it.each([
    ['the CLI JSON of filter-log-events', () => filterLogEvents],
    [
      'JSON lines of {timestamp, message}',
      () =>
        logFile(
          'lines.jsonl',
          JSON.stringify({
            timestamp: Date.parse('2026-06-01T14:07:31Z'),
            message: JSON.stringify(handlerLine()),
          }) + '\n',
        ),
    ],
    [
      'raw handler lines',
      () =>
        logFile('raw.log', 'START RequestId: 1 Version: $LATEST\n' + JSON.stringify(handlerLine()) + '\n'),
    ],
    [
      'aws logs tail output',
      () =>
        logFile(
          'tail.log',
          `2026-06-01T14:07:31.412000+00:00 2026/06/01/[$LATEST]0123 ${JSON.stringify(handlerLine())}\n`,
        ),
    ],
  ])('reads %s as --log-file', async (_name, file) => {
    const dir = await runsDir([scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')]);
    expect((await prove(dir, '--log-file', file())).code).toBe(0);
  });

  // [name, records, log-file lines, a note that explains]
  const FALSE_PROOFS: [string, () => RunRecord[], string][] = [
    [
      'a hand invocation with a schedule payload (no execution id)',
      () => [handInvoked('2026-06-01T14:07:30Z', 'schedule:primary')],
      'no Scheduler execution id',
    ],
    [
      'a run scheduled before the start (a run at 14:00:20 for a start at 14:00:00)',
      () => [scheduled('2026-06-01T14:00:20Z', '2026-06-01T13:59:59Z')],
      'not 60s after the deploy start',
    ],
    [
      'a run scheduled within the skew allowance',
      () => [scheduled('2026-06-01T14:00:50Z', '2026-06-01T14:00:30Z')],
      'not 60s after the deploy start',
    ],
    [
      'a run of the old code',
      () => [scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z', { code_version: 'old0000000000000' })],
      'code version old0000000000000, not c0ffee0123456789',
    ],
    [
      'a run without a recorded code version',
      () => {
        const r = scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z');
        const t: { code_version?: string } & Omit<typeof r.trigger, 'code_version'> = { ...r.trigger };
        delete t.code_version;
        return [{ ...r, trigger: t }];
      },
      'code version not recorded',
    ],
    [
      'manual and ECS-event runs',
      () => [record('2026-06-01T14:03:00Z', 'manual'), record('2026-06-01T14:04:00Z', 'ecs-event')],
      'not a scheduled trigger',
    ],
    [
      'a run from before the deploy',
      () => [scheduled('2026-06-01T13:57:30Z', '2026-06-01T13:57:00Z')],
      'no run record after the deploy',
    ],
  ];

  it.each(FALSE_PROOFS)('is not proven by %s', async (_name, records, note) => {
    const dir = await runsDir(records());
    const r = await prove(dir, '--log-file', filterLogEvents, '--json');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toMatchObject({
      verdict: 'not_proven',
      notes: expect.arrayContaining([expect.stringContaining(note)]),
    });
  });

  it('records alone are not proven (exit 4) unless --records-only, and then the verdict says so', async () => {
    const dir = await runsDir([scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')]);
    const alone = await prove(dir);
    expect(alone.code).toBe(4);
    expect(alone.out).toContain('records alone are not a proof');
    const ok = await prove(dir, '--records-only');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(
      'VERDICT: the deployed code ran on its schedule, per the run records ONLY (log not checked)',
    );
  });

  it('needs the log line of the same execution', async () => {
    const dir = await runsDir([scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')]);
    const other = logFile('other.log', JSON.stringify(handlerLine({ execution_id: 'exec-2' })) + '\n');
    const manual = logFile('manual.log', JSON.stringify(handlerLine({ trigger: 'manual' })) + '\n');
    for (const f of [other, manual]) {
      const r = await prove(dir, '--log-file', f);
      expect(r.code).toBe(4);
      expect(r.out).toContain('no log line of the Lambda for a qualifying run');
    }
  });

  it('offline without --code-version nothing ties a run to the deploy', async () => {
    const dir = await runsDir([scheduled('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')]);
    const r = await run([
      'prove-deploy',
      '--runs-dir',
      dir,
      '--started-at',
      T,
      '--log-file',
      filterLogEvents,
    ]);
    expect(r.code).toBe(4);
    expect(r.out).toContain('the new code version is unknown (pass --code-version)');
  });

  it.each(['2026-06-01', 'yesterday', '2026-06-01T14:00:00'])(
    'refuses --started-at %s (exit 2)',
    async (t) => {
      const dir = await runsDir([]);
      const r = await run(['prove-deploy', '--runs-dir', dir, '--started-at', t]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--started-at');
    },
  );
});

describe('gate', () => {
  // The operator's environment names the runtime: the cluster has no default.
  const gate = (args: string[], now?: string) => run(args, now, { AEGIS_PT_CLUSTER: 'aegis-pt' });
  const dir = mkdtempSync(join(tmpdir(), 'aegis-gate-'));
  const write = (name: string, b: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(b));
    return path;
  };
  const PRE_NOW = '2026-06-01T14:05:30Z';
  const POST_NOW = '2026-06-01T14:20:30Z';

  it('pre: GO on a clean runtime, writing the observation as the baseline; GO is not an approval', async () => {
    const obs = write('clean.json', pre());
    const out = join(dir, 'baseline.json');
    const r = await gate(['gate', '--phase', 'pre', '--observation', obs, '--out', out], PRE_NOW);
    expect(r.out).toMatch(
      /PASS {2}exactly one AWS runtime task: status=ACTIVE desired=1 running=1 pending=0 tasks: \S+ RUNNING/,
    );
    expect(r.out).toContain('  market: open (2026-06-01T10:05:00-04:00 ET');
    expect(r.out).toMatch(/VERDICT: GO\nGO is not an approval/);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).now).toBe('2026-06-01T14:05:00Z');
  });

  it('pre: WAIT on one normal-age entry order (the spec example)', async () => {
    const r = await gate(
      [
        'gate',
        '--phase',
        'pre',
        '--observation',
        write('example.json', bundle()),
        '--out',
        join(dir, 'x.json'),
      ],
      PRE_NOW,
    );
    expect(r.out).toMatch(/WARN {2}pending orders \(0 preferred\): one entry order 4711 COIN, 80s old/);
    expect(r.out).toContain('VERDICT: WAIT');
    expect(r.code).toBe(4);
  });

  it('pre: STOP on a saved observation hours old; --replay re-judges it and says so', async () => {
    const obs = write('old.json', pre());
    const stale = await gate(['gate', '--phase', 'pre', '--observation', obs, '--out', join(dir, 'o.json')]);
    expect(stale.out).toContain('FAIL  observation is current');
    expect(stale.code).toBe(4);
    const replay = await gate([
      'gate',
      '--phase',
      'pre',
      '--observation',
      obs,
      '--out',
      join(dir, 'o.json'),
      '--replay',
      '--json',
    ]);
    expect(JSON.parse(replay.out)).toMatchObject({ verdict: 'go', replay: true });
  });

  it('post: GO on the new deployment against the baseline; STOP when the baseline is passed again', async () => {
    const baseline = write('base.json', pre());
    const go = await gate(
      [
        'gate',
        '--phase',
        'post',
        '--baseline',
        baseline,
        '--observation',
        write('post.json', post()),
        '--runs-dir',
        await runsDir(CLEAN_RUNS()),
        '--json',
      ],
      POST_NOW,
    );
    expect(JSON.parse(go.out)).toMatchObject({
      verdict: 'go',
      note: expect.stringContaining('not an approval'),
    });
    expect(go.code).toBe(0);
    const again = await gate(
      ['gate', '--phase', 'post', '--baseline', baseline, '--observation', baseline],
      POST_NOW,
    );
    expect(again.out).toContain('FAIL  a new deployment');
    expect(again.code).toBe(4);
  });

  it('post: exit 4 WAIT without run records, saying how to get them; exit 0 with them', async () => {
    const baseline = write('base2.json', pre());
    const obs = write('post2.json', post());
    const args = ['gate', '--phase', 'post', '--baseline', baseline, '--observation', obs];
    const waiting = await gate(args, POST_NOW);
    expect(waiting.out).toMatch(
      /WARN {2}2 clean scheduled checks after the deploy: no evidence: no run records read \(read the run records with --runs-dir DIR/,
    );
    expect(waiting.out).toMatch(/VERDICT: WAIT\nWAIT: the deploy is not accepted yet/);
    expect(waiting.code).toBe(4);
    const go = await gate([...args, '--runs-dir', await runsDir(CLEAN_RUNS())], POST_NOW);
    expect(go.out).toMatch(/VERDICT: GO\nGO: the deploy may be accepted/);
    expect(go.code).toBe(0);
  });

  it('post --watch: judges again while WAIT until the second scheduled check is in, then GO', async () => {
    const [first, second] = CLEAN_RUNS();
    const store = await runsDir([first]);
    let now = Date.parse(POST_NOW);
    const slept: number[] = [];
    const io = Object.assign(captureIo({ env: { AEGIS_PT_CLUSTER: 'aegis-pt' } }), {
      now: () => new Date(now),
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
        // The next scheduled check lands meanwhile.
        await new FsStore(store).writeRun(second);
      },
    });
    const args = ['gate', '--phase', 'post', '--baseline', write('base-w.json', pre()), '--observation'];
    const code = await main(
      [...args, write('post-w.json', post()), '--replay', '--runs-dir', store, '--watch'],
      io,
    );
    expect(slept).toEqual([60_000]);
    expect(io.err).toMatch(/--watch: WAIT \(2 clean scheduled checks after the deploy\); judging again at /);
    expect(io.out).toMatch(/VERDICT: GO/);
    expect(code).toBe(0);
  });

  it('post --watch gives up at --deadline still WAIT (exit 4); --deadline needs --watch, and post', async () => {
    let now = Date.parse(POST_NOW);
    const io = Object.assign(captureIo({ env: { AEGIS_PT_CLUSTER: 'aegis-pt' } }), {
      now: () => new Date(now),
      sleep: async (ms: number) => {
        now += ms;
      },
    });
    const args = [
      'gate',
      '--phase',
      'post',
      '--baseline',
      write('base-d.json', pre()),
      '--observation',
      write('post-d.json', post()),
      '--replay',
    ];
    const code = await main([...args, '--runs-dir', await runsDir([]), '--watch', '--deadline', '3m'], io);
    expect(code).toBe(4);
    expect(io.err).toMatch(/--watch: still WAIT at the deadline/);
    expect((await gate([...args, '--deadline', '3m'], POST_NOW)).code).toBe(2);
    expect((await gate([...args, '--watch', '--deadline', '3h'], POST_NOW)).code).toBe(2);
    expect((await gate(['gate', '--phase', 'pre', '--watch'], POST_NOW)).code).toBe(2);
  });

  it('post: a rollback to an older task definition is exit 4 unless --expect-task-definition names it', async () => {
    const older = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/aegis-pt-core:40';
    const obs = write(
      'rollback.json',
      post({
        service: { deployments: [{ ...NEW_DEPLOYMENT, taskDefinition: older }] },
        tasks: [newTask({ taskDefinitionArn: older })],
      }),
    );
    const args = [
      'gate',
      '--phase',
      'post',
      '--baseline',
      write('base3.json', pre()),
      '--observation',
      obs,
      '--runs-dir',
      await runsDir(CLEAN_RUNS()),
    ];
    const stop = await gate(args, POST_NOW);
    expect(stop.out).toContain('FAIL  task definition as expected');
    expect(stop.code).toBe(4);
    expect((await gate([...args, '--expect-task-definition', older], POST_NOW)).code).toBe(0);
  });

  it('exit 4 when the cluster is not configured; exit 2 naming a bad AEGIS_PT_GATE_RECONCILE_MAX_SEC', async () => {
    const obs = write('c.json', pre());
    const args = ['gate', '--phase', 'pre', '--observation', obs, '--out', join(dir, 'c-out.json')];
    const unknown = await run(args, PRE_NOW);
    expect(unknown.out).toMatch(/the cluster is not configured \(AEGIS_PT_CLUSTER\)/);
    expect(unknown.code).toBe(4);
    const bad = await run(args, PRE_NOW, {
      AEGIS_PT_CLUSTER: 'aegis-pt',
      AEGIS_PT_GATE_RECONCILE_MAX_SEC: 'soon',
    });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/AEGIS_PT_GATE_RECONCILE_MAX_SEC: must be a whole number/);
  });

  it('--help lists every criterion with the evidence it needs', async () => {
    const r = await run(['gate', '--help']);
    expect(r.code).toBe(0);
    const text = r.out.replace(/\s+/g, ' ');
    expect(text).toMatch(/- IBKR log signals clean: .*?\[needs payload log_signals\.window_sec, /);
    expect(text).toMatch(
      /- no IBKR task outside the service: .*?\[needs ECS service, tasks, cluster_tasks\]/,
    );
    expect(text).toMatch(
      /- nothing appeared during the rollout: .*?\[needs the baseline; the run records since the baseline\]/,
    );
  });

  it('exits 2 naming the profile when this machine has no usable AWS credentials (not ecs_unavailable)', async () => {
    const empty = join(dir, 'empty-aws-config');
    writeFileSync(empty, '');
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_REGION: 'ap-northeast-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const io = captureIo({
        now: PRE_NOW,
        env: { AEGIS_PT_CLUSTER: 'aegis-pt', AEGIS_PT_DASHBOARD_URL: 'http://127.0.0.1:9' },
      });
      const code = await main(
        ['gate', '--phase', 'pre', '--profile', 'ops-nosuch', '--out', join(dir, 'n.json')],
        io,
      );
      expect(code).toBe(2);
      expect(io.err).toMatch(/no usable AWS credentials from profile ops-nosuch: .*pass --profile NAME/);
      expect(io.out).toBe('');
    } finally {
      process.env = saved;
    }
  });

  it.each([
    ['gap', '--created-after', '2026-06-01T13:00:00Z', '--until', '2026-06-01T14:00:00Z'],
    ['report', '--date', '2026-06-01'],
    ['replay', '--from', '2026-06-01T13:00:00Z', '--to', '2026-06-01T14:00:00Z'],
    ['kpi', '--sessions', '2', '--until', '2026-06-01'],
  ])('%s on the bucket without usable credentials exits 2 naming the profile', async (...argv) => {
    const empty = join(dir, 'empty-aws-config');
    writeFileSync(empty, '');
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_REGION: 'ap-northeast-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const io = captureIo({ now: PRE_NOW });
      const code = await main([...argv, '--bucket', 'aegis-state', '--profile', 'ops-nosuch'], io);
      expect(io.err).toMatch(/no usable AWS credentials from profile ops-nosuch: .*pass --profile NAME/);
      expect(io.err).not.toMatch(/internal error/);
      expect(code).toBe(2);
    } finally {
      process.env = saved;
    }
  });

  it('exits 2 on bad usage, including a deploy start without a time', async () => {
    expect((await run(['gate'])).code).toBe(2);
    expect((await run(['gate', '--phase', 'post'])).code).toBe(2);
    expect((await run(['gate', '--phase', 'pre', '--observation', '/nonexistent.json'])).code).toBe(2);
    const baseline = write('base2.json', pre());
    const r = await run(['gate', '--phase', 'post', '--baseline', baseline, '--deployed-at', '2026-06-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--deployed-at needs a time with an offset');
  });
});

describe('snapshot', () => {
  it('renders the evidence in Markdown ending with the decision line', async () => {
    const obs = join(mkdtempSync(join(tmpdir(), 'aegis-snap-')), 'obs.json');
    writeFileSync(obs, JSON.stringify(bundle({ status: { pending_orders: 2 } })));
    const r = await run(['snapshot', '--observation', obs]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('# aegis-pt market-session evidence 2026-06-01T14:05:00Z');
    expect(r.out).toContain('- JST: 2026-06-01T23:05:00+09:00');
    expect(r.out).toContain('- ET: 2026-06-01T10:05:00-04:00');
    expect(r.out).toContain('- Service aegis-pt-core: status=ACTIVE desired=1 running=1 pending=0');
    expect(r.out).toContain(
      '- WARN pending_order_buildup: pending_orders=2 (warn at 2, critical at 3) (first seen 2026-06-01T14:05:00Z, 1 run(s))',
    );
    expect(lines.at(-1)).toBe(
      'DECISION: notify (1 open event(s) (0 critical, 1 warn): pending_order_buildup)',
    );
  });

  it('adds the schedule-gap evidence with --gap-since', async () => {
    // snapshot judges coverage against the default cadence: a check every minute, the fallback every 5.
    const dir = await runsDir(
      scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T14:05:00Z', scheduleDefinitions()),
    );
    const obs = join(dir, '..', `obs-${Date.now()}.json`);
    writeFileSync(obs, JSON.stringify(bundle()));
    const r = await run([
      'snapshot',
      '--observation',
      obs,
      '--runs-dir',
      dir,
      '--gap-since',
      '2026-06-01T13:00:00Z',
      '--json',
    ]);
    const parsed = JSON.parse(r.out);
    expect(parsed.gap).toMatchObject({ verdict: 'covered', covered: 78 }); // 13:00..14:04 and 13:02..14:02
    expect(parsed.output.decision).toBe('observe');
  });
});

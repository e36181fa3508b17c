// Explicit denies of a synthesized bucket policy, evaluated for one request: what the stack relies on
// to keep writers and readers out, checked the way IAM reads it (ArnLike/ArnNotLike with * and ? per
// ARN component, Resource and NotResource, Bool and NumericLessThan on TLS). Allows are not evaluated:
// an explicit deny wins whatever any identity policy allows.

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Request {
  /** aws:PrincipalArn: the role's ARN for a role session. */
  readonly principalArn: string;
  readonly action: string;
  /** The object or bucket ARN. */
  readonly resource: string;
  /** aws:SecureTransport. */
  readonly secure?: boolean;
  readonly tlsVersion?: number;
  /** The service principal making the request (aws:PrincipalIsAWSService), e.g. cloudtrail.amazonaws.com. */
  readonly servicePrincipal?: string;
  /** aws:SourceAccount: the account of the resource a service acts for. */
  readonly sourceAccount?: string;
}

/** Replaces CloudFormation references with the ARNs given for each logical ID prefix. */
export function resolve(value: unknown, arns: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, arns));
  if (value === null || typeof value !== 'object') return value;
  const v = value as Props;
  if (v['Fn::Join'])
    return (v['Fn::Join'][1] as unknown[]).map((p) => resolve(p, arns)).join(v['Fn::Join'][0]);
  const id: string | undefined = v['Fn::GetAtt']?.[0] ?? v.Ref;
  if (id !== undefined) {
    const prefix = Object.keys(arns).find((p) => id.startsWith(p));
    if (prefix === undefined) throw new Error(`no ARN given for ${id}`);
    return arns[prefix];
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, arns)]));
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** IAM's ArnLike: the six colon-separated parts matched one by one, * and ? within each. */
export function arnLike(arn: string, pattern: string): boolean {
  const split = (a: string) => {
    const parts = a.split(':');
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const [a, p] = [split(arn), split(pattern)];
  return a.length === p.length && p.every((part, i) => glob(part).test(a[i]));
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function conditionHolds(condition: Props | undefined, req: Request): boolean {
  for (const [op, entries] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(entries as Props)) {
      const want = list(values as unknown);
      if (op === 'ArnNotLike' && key === 'aws:PrincipalArn') {
        if (want.some((p) => arnLike(req.principalArn, String(p)))) return false;
      } else if (op === 'ArnLike' && key === 'aws:PrincipalArn') {
        if (!want.some((p) => arnLike(req.principalArn, String(p)))) return false;
      } else if (op === 'Bool' && key === 'aws:SecureTransport') {
        if (String(req.secure ?? true) !== String(want[0])) return false;
      } else if (op === 'Bool' && key === 'aws:PrincipalIsAWSService') {
        if (String(req.servicePrincipal !== undefined) !== String(want[0])) return false;
      } else if (op === 'StringNotEquals' && key === 'aws:SourceAccount') {
        // A missing key is "not equal": the condition holds.
        if (req.sourceAccount !== undefined && want.map(String).includes(req.sourceAccount)) return false;
      } else if (op === 'NumericLessThan' && key === 's3:TlsVersion') {
        if (!((req.tlsVersion ?? 1.3) < Number(want[0]))) return false;
      } else {
        throw new Error(`condition ${op} ${key} not evaluated`);
      }
    }
  }
  return true;
}

const actionMatches = (patterns: string[], action: string) => patterns.some((p) => glob(p).test(action));

/** The Sids of the policy's Deny statements that apply to the request (an empty list: not denied). */
export function deniedBy(policy: Props, req: Request): string[] {
  const out: string[] = [];
  for (const s of policy.Statement as Props[]) {
    if (s.Effect !== 'Deny') continue;
    if (!actionMatches(list(s.Action), req.action)) continue;
    // A statement for a service principal applies to that service's requests only.
    const service = (s.Principal as Props | undefined)?.Service;
    if (service !== undefined && !list(service).includes(req.servicePrincipal)) continue;
    const inResource = s.NotResource
      ? !list(s.NotResource).some((r) => arnLike(req.resource, String(r)))
      : list(s.Resource).some((r) => arnLike(req.resource, String(r)));
    if (!inResource) continue;
    if (conditionHolds(s.Condition, req)) out.push(s.Sid ?? '(TLS)');
  }
  return out;
}

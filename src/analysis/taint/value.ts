import { unquote } from '../paths.js';
import type { SecretRead } from '../secret-stores.js';

/** Why a value is secret, as a chain from the value back to its source. */
export interface Taint {
  /** Links from the nearest to the source: ["env.SSM_PARAMETERS", "aws ssm get-parameters in step 'Load'"]. */
  chain: string[];
  /** Only from GITHUB_TOKEN / github.token, which expire with the job: findings are warnings. */
  tokenOnly: boolean;
  /**
   * Derived from a secret (a secret-store read, a field of fromJSON(secrets.X), a decoded value):
   * GitHub masks registered secrets in logs, not values derived from them.
   */
  derived: boolean;
}

/** `$API_KEYS <- env.SSM_PARAMETERS <- aws ssm get-parameters in step 'Load'`: a value and where it comes from. */
export function describeTaint(value: string, taint: Taint): string {
  const head = unquote(value.trim());
  const links = taint.chain[0] !== undefined && head === taint.chain[0] ? taint.chain.slice(1) : taint.chain;
  return [head, ...links].join(' <- ');
}

/** The taint one step further from its source: `link` holds what `taint` described. */
export function extend(taint: Taint, link: string, derived = taint.derived): Taint {
  const chain = taint.chain[0] === link ? taint.chain : [link, ...taint.chain];
  return { chain, tokenOnly: taint.tokenOnly, derived };
}

/** Merges several sources: a value is token-only when every source is. */
export function merge(taints: (Taint | undefined)[]): Taint | undefined {
  const present = taints.filter((t): t is Taint => t !== undefined);
  if (present.length === 0) return undefined;
  const strongest = present.find((t) => !t.tokenOnly) ?? present[0];
  return {
    chain: strongest.chain,
    tokenOnly: present.every((t) => t.tokenOnly),
    derived: present.some((t) => t.derived),
  };
}

/** What a secret-store read yields. */
export function readTaint(read: SecretRead): Taint {
  return { chain: [`${read.label} in step '${read.step.label}'`], tokenOnly: false, derived: true };
}

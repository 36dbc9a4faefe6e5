import { UserError } from '../../model/user-error.js';
import { bestFit } from './best-fit.js';
import { dotProduct } from './dot-product.js';
import { firstFit } from './first-fit.js';
import { hybrid } from './hybrid.js';
import type { PlacementPolicy, PolicyOptions } from './policy.js';
import { DEFAULT_SAMPLE_SIZE, RANDOM_K_DESCRIPTION, randomK } from './random-k.js';
import { worstFit } from './worst-fit.js';

/**
 * The default: hybrid. On the fill-the-cluster benchmark it uses the fewest hosts (about 5% fewer
 * than best-fit), because it avoids stranding resources, and its cost per placement is that of
 * best-fit: one cached score per changed host.
 */
export const DEFAULT_POLICY = 'hybrid';

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly isDefault: boolean;
  /** True if the policy needs a seeded RandomSource. */
  readonly randomized: boolean;
  create(options: PolicyOptions): PlacementPolicy;
}

const fixed = (p: PlacementPolicy): PolicyInfo => ({
  name: p.name,
  description: p.description,
  isDefault: p.name === DEFAULT_POLICY,
  randomized: false,
  create: () => p,
});

/** Every policy, in the order `borealis policies` lists them. */
export const POLICIES: readonly PolicyInfo[] = [
  fixed(firstFit),
  fixed(bestFit),
  fixed(worstFit),
  fixed(hybrid),
  fixed(dotProduct),
  {
    name: 'random-k',
    description: RANDOM_K_DESCRIPTION,
    isDefault: false,
    randomized: true,
    create(options) {
      if (!options.random) throw new Error('random-k needs a seeded RandomSource');
      return randomK(options.random, options.sampleSize ?? DEFAULT_SAMPLE_SIZE);
    },
  },
];

export const POLICY_NAMES: readonly string[] = POLICIES.map((p) => p.name);

/** Creates a policy by name; an unknown name is the user's mistake and lists the known ones. */
export function createPolicy(name: string, options: PolicyOptions = {}): PlacementPolicy {
  const info = POLICIES.find((p) => p.name === name);
  if (!info) throw new UserError(`unknown placement policy "${name}" (known: ${POLICY_NAMES.join(', ')})`);
  return info.create(options);
}

/**
 * Generator presets: each is data describing one kind of cluster and workload. Where the shape
 * comes from is documented in traces/README.md ("Generator presets"); the tests check that
 * generated traces match these parameters within stated tolerances.
 */
import type { Tier } from '@borealis/core';
import type { LogNormal, Pareto } from './random.js';

export interface HostShape {
  readonly weight: number;
  readonly cpu: number;
  readonly ramMb: number;
  readonly diskMb: number;
  readonly gpus: number;
  /** Extra attributes for hosts of this shape (e.g. platform, partition). */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface BandTier {
  readonly weight: number;
  readonly tier: Tier;
  /** Inclusive priority range. */
  readonly priority: readonly [number, number];
}

export interface ServiceBand {
  /** Share of cluster CPU requested by the services running at t=0. */
  readonly initialCpuShare: number;
  /** New service jobs per host per day (arrivals follow the diurnal curve). */
  readonly arrivalsPerHostPerDay: number;
  /** Instances per service job (limit:1 on host, so capped by the host count). */
  readonly instances: Pareto;
  readonly cpu: LogNormal;
  readonly ramMb: LogNormal;
  readonly diskMb: LogNormal;
  readonly ports: readonly string[];
  readonly priority: readonly [number, number];
  /** Lifetime of services submitted during the trace before they are killed (services at t=0 live on). */
  readonly lifetimeMs: LogNormal;
  /** Fraction of service jobs pinned to one zone. */
  readonly zoneConstrained: number;
  /** Rolling updates per service per day (a new config with a little more or less RAM). */
  readonly updatesPerServicePerDay: number;
}

export interface BatchBand {
  readonly tasksPerHostPerDay: number;
  /** Probability a job has exactly one task; otherwise the count is drawn from `tasksPerJob`. */
  readonly singleTaskJobs: number;
  readonly tasksPerJob: Pareto;
  /** Round the task count up to a power of two (parallel jobs). */
  readonly powerOfTwoTasks: boolean;
  readonly cpu: LogNormal;
  readonly ramMb: LogNormal;
  readonly diskMb: LogNormal;
  /** Median run time of a job's tasks; each task varies around its job's median by `taskSpread`. */
  readonly durationMs: LogNormal;
  readonly taskSpread: number;
  readonly failedFraction: number;
  readonly killedFraction: number;
  readonly tiers: readonly BandTier[];
  /** Jobs that want one task per host (`host: limit:1`). */
  readonly limitOnePerHost: number;
  /** Jobs that avoid one rack (`rack: !rNN`). */
  readonly rackAvoiding: number;
  /** Jobs constrained to one value of `constrainedAttribute`. */
  readonly attributeConstrained: number;
  readonly constrainedAttribute?: string;
}

export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly hostShapes: readonly HostShape[];
  readonly hostsPerRack: number;
  readonly zones: readonly string[];
  /** Mesos' default port range. */
  readonly ports: readonly [number, number];
  /** Arrival rate multiplier 1 + a·cos(2π(hour − peakHour)/24). */
  readonly diurnal: { readonly amplitude: number; readonly peakHour: number };
  readonly services?: ServiceBand;
  readonly batch: BatchBand;
  readonly failures: { readonly perHostPerDay: number; readonly repairMs: LogNormal };
}

const GB = 1024;
const MIN = 60_000;
const HOUR = 60 * MIN;

export const PRESETS: Readonly<Record<string, Preset>> = {
  'google-2011': {
    name: 'google-2011',
    description:
      'Mixed cell after the Google 2011 cluster trace: production services plus heavy-tailed batch',
    // Platforms of the 2011 cell by share of machines, scaled from normalized capacity (1.0 = 32 cores, 128 GB).
    hostShapes: [
      { weight: 0.53, cpu: 16, ramMb: 64 * GB, diskMb: 2048 * GB, gpus: 0, attributes: { platform: 'B' } },
      { weight: 0.31, cpu: 16, ramMb: 32 * GB, diskMb: 2048 * GB, gpus: 0, attributes: { platform: 'B' } },
      { weight: 0.08, cpu: 16, ramMb: 96 * GB, diskMb: 2048 * GB, gpus: 0, attributes: { platform: 'B' } },
      { weight: 0.06, cpu: 32, ramMb: 128 * GB, diskMb: 4096 * GB, gpus: 0, attributes: { platform: 'C' } },
      { weight: 0.02, cpu: 8, ramMb: 32 * GB, diskMb: 1024 * GB, gpus: 0, attributes: { platform: 'A' } },
    ],
    hostsPerRack: 40,
    zones: ['a', 'b', 'c'],
    ports: [31000, 32000],
    diurnal: { amplitude: 0.25, peakHour: 14 },
    services: {
      initialCpuShare: 0.35,
      arrivalsPerHostPerDay: 0.02,
      instances: { xm: 2, alpha: 1.2, max: 500 },
      cpu: { median: 1, sigma: 0.7, min: 0.1, max: 8 },
      ramMb: { median: 2 * GB, sigma: 0.8, min: 128, max: 32 * GB },
      diskMb: { median: 4 * GB, sigma: 0.8, min: 256, max: 100 * GB },
      ports: ['http'],
      priority: [9, 10],
      lifetimeMs: { median: 6 * HOUR, sigma: 1, min: 30 * MIN, max: 30 * 24 * HOUR },
      zoneConstrained: 0.1,
      updatesPerServicePerDay: 0,
    },
    batch: {
      tasksPerHostPerDay: 100,
      singleTaskJobs: 0.6,
      tasksPerJob: { xm: 2, alpha: 1.1, max: 2000 },
      powerOfTwoTasks: false,
      cpu: { median: 0.5, sigma: 0.9, min: 0.05, max: 8 },
      ramMb: { median: 1 * GB, sigma: 1, min: 64, max: 32 * GB },
      diskMb: { median: 1 * GB, sigma: 1, min: 16, max: 64 * GB },
      durationMs: { median: 5 * MIN, sigma: 1.8, min: 5_000, max: 3 * 24 * HOUR },
      taskSpread: 0.3,
      failedFraction: 0.05,
      killedFraction: 0.1,
      tiers: [
        { weight: 0.25, tier: 'revocable', priority: [0, 1] },
        { weight: 0.75, tier: 'preemptible', priority: [2, 8] },
      ],
      limitOnePerHost: 0.05,
      rackAvoiding: 0.02,
      attributeConstrained: 0.02,
      constrainedAttribute: 'platform',
    },
    failures: {
      perHostPerDay: 0.005,
      repairMs: { median: 30 * MIN, sigma: 1, min: 2 * MIN, max: 24 * HOUR },
    },
  },

  'web-services': {
    name: 'web-services',
    description:
      'A web-serving cluster: long-running services spread over zones, daytime deploys, little batch',
    hostShapes: [{ weight: 1, cpu: 32, ramMb: 128 * GB, diskMb: 1024 * GB, gpus: 0, attributes: {} }],
    hostsPerRack: 20,
    zones: ['a', 'b', 'c'],
    ports: [31000, 32000],
    diurnal: { amplitude: 0.6, peakHour: 15 },
    services: {
      initialCpuShare: 0.55,
      arrivalsPerHostPerDay: 0.05,
      instances: { xm: 3, alpha: 1.5, max: 200 },
      cpu: { median: 2, sigma: 0.5, min: 0.25, max: 16 },
      ramMb: { median: 4 * GB, sigma: 0.6, min: 256, max: 64 * GB },
      diskMb: { median: 8 * GB, sigma: 0.5, min: 512, max: 200 * GB },
      ports: ['http', 'admin'],
      priority: [0, 0],
      lifetimeMs: { median: 12 * HOUR, sigma: 1, min: 1 * HOUR, max: 30 * 24 * HOUR },
      zoneConstrained: 0.2,
      updatesPerServicePerDay: 0.5,
    },
    batch: {
      tasksPerHostPerDay: 10,
      singleTaskJobs: 0.5,
      tasksPerJob: { xm: 2, alpha: 1.5, max: 100 },
      powerOfTwoTasks: false,
      cpu: { median: 1, sigma: 0.6, min: 0.1, max: 8 },
      ramMb: { median: 2 * GB, sigma: 0.7, min: 128, max: 32 * GB },
      diskMb: { median: 1 * GB, sigma: 0.7, min: 64, max: 64 * GB },
      durationMs: { median: 10 * MIN, sigma: 1.2, min: 10_000, max: 12 * HOUR },
      taskSpread: 0.2,
      failedFraction: 0.02,
      killedFraction: 0.02,
      tiers: [{ weight: 1, tier: 'preemptible', priority: [0, 5] }],
      limitOnePerHost: 0,
      rackAvoiding: 0.05,
      attributeConstrained: 0.1,
      constrainedAttribute: 'zone',
    },
    failures: {
      perHostPerDay: 0.003,
      repairMs: { median: 20 * MIN, sigma: 0.8, min: 2 * MIN, max: 12 * HOUR },
    },
  },

  'hpc-batch': {
    name: 'hpc-batch',
    description: 'An HPC batch queue: wide power-of-two jobs taking whole nodes for hours, weak daily cycle',
    hostShapes: [
      {
        weight: 0.9,
        cpu: 64,
        ramMb: 256 * GB,
        diskMb: 512 * GB,
        gpus: 0,
        attributes: { partition: 'compute' },
      },
      {
        weight: 0.1,
        cpu: 64,
        ramMb: 1024 * GB,
        diskMb: 512 * GB,
        gpus: 0,
        attributes: { partition: 'bigmem' },
      },
    ],
    hostsPerRack: 32,
    zones: ['a'],
    ports: [31000, 32000],
    diurnal: { amplitude: 0.2, peakHour: 11 },
    batch: {
      tasksPerHostPerDay: 6,
      singleTaskJobs: 0.25,
      tasksPerJob: { xm: 2, alpha: 0.9, max: 64 },
      powerOfTwoTasks: true,
      // Whole-node jobs: a task asks for the full node (capped by the shape at generation).
      cpu: { median: 64, sigma: 0, min: 64, max: 64 },
      ramMb: { median: 128 * GB, sigma: 0.5, min: 8 * GB, max: 240 * GB },
      diskMb: { median: 16 * GB, sigma: 0.5, min: 1 * GB, max: 256 * GB },
      durationMs: { median: 1 * HOUR, sigma: 1.2, min: 1 * MIN, max: 48 * HOUR },
      taskSpread: 0,
      failedFraction: 0.08,
      killedFraction: 0.1,
      tiers: [
        { weight: 0.8, tier: 'preemptible', priority: [1, 5] },
        { weight: 0.2, tier: 'preferred', priority: [6, 9] },
      ],
      limitOnePerHost: 1,
      rackAvoiding: 0,
      attributeConstrained: 0.05,
      constrainedAttribute: 'partition',
    },
    failures: {
      perHostPerDay: 0.002,
      repairMs: { median: 2 * HOUR, sigma: 0.8, min: 10 * MIN, max: 48 * HOUR },
    },
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

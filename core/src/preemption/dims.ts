/** Dimensions of every preemption vector: cpu, ramMb, diskMb, gpus, ports (a count of port numbers). */
export const DIMS = 5;

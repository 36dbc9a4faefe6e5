/**
 * Which Mesos agent runs on which host, as offers and status updates tell it. The core knows hosts
 * by hostname (what constraints and users name); Mesos's KILL and RECONCILE want agent ids. An agent
 * that restarts without recovering registers with a new id on the same host: the latest wins.
 */
export class AgentBook {
  private readonly byHost = new Map<string, string>();
  private readonly byTask = new Map<string, string>();

  sawOffer(hostname: string, agentId: string): void {
    this.byHost.set(hostname, agentId);
  }

  sawTask(taskId: string, agentId: string | undefined): void {
    if (agentId) this.byTask.set(taskId, agentId);
  }

  forgetTask(taskId: string): void {
    this.byTask.delete(taskId);
  }

  /** The agent a task runs on: as its own updates said, else its host's latest agent. */
  agentOf(taskId: string, host: string | undefined): string | undefined {
    return this.byTask.get(taskId) ?? (host === undefined ? undefined : this.byHost.get(host));
  }
}

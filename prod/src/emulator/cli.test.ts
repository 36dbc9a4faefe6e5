import { UserError } from '@borealis/core';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorCommands } from './cli.js';
import { type Emulator, startEmulator } from './emulator.js';

function program(): Command {
  const p = new Command('borealis').exitOverride();
  emulatorCommands(p);
  for (const c of p.commands) c.exitOverride();
  return p;
}

describe('borealis mesos control', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ agents: 2 });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('loses and restores an agent by hostname', async () => {
    await program().parseAsync(['mesos', 'control', '--master', emu.url, 'agent', 'lose', 'agent-00001'], {
      from: 'user',
    });
    expect(emu.master.agents.states[1]).toBe('unreachable');
    await program().parseAsync(['mesos', 'control', '--master', emu.url, 'agent', 'restore', 'agent-00001'], {
      from: 'user',
    });
    expect(emu.master.agents.states[1]).toBe('active');
  });

  it('sets the default behaviour of new tasks', async () => {
    await program().parseAsync(['mesos', 'control', '--master', emu.url, 'behaviour', '{"runForMs":5}'], {
      from: 'user',
    });
    expect(emu.master.options.behaviour.runForMs).toBe(5);
  });

  it('turns mistakes into one-line user errors', async () => {
    await expect(
      program().parseAsync(['mesos', 'control', '--master', emu.url, 'task', 'explode', 'x'], {
        from: 'user',
      }),
    ).rejects.toThrow(UserError);
    await expect(
      program().parseAsync(['mesos', 'control', '--master', emu.url, 'task', 'finish', 'nope'], {
        from: 'user',
      }),
    ).rejects.toThrow("mesos control: No live task 'nope'");
    await expect(
      program().parseAsync(['mesos', 'control', '--master', 'http://127.0.0.1:1', 'summary'], {
        from: 'user',
      }),
    ).rejects.toThrow(/cannot reach/);
  });
});

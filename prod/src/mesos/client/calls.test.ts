import { describe, expect, it } from 'vitest';
import { decodeCall, encodeCall } from '../messages.js';
import {
  acceptCall,
  acknowledgeCall,
  declineCall,
  killCall,
  launch,
  launchGroup,
  reconcileCall,
  reviveCall,
  subscribeCall,
  suppressCall,
} from './calls.js';

const info = { user: 'root', name: 'borealis', failover_timeout: 604800, checkpoint: true };

describe('call builders', () => {
  it('a first SUBSCRIBE has no framework id anywhere', () => {
    const call = subscribeCall({ ...info, id: { value: 'stale' } });
    expect(call.framework_id).toBeUndefined();
    expect(call.subscribe?.framework_info.id).toBeUndefined();
  });

  it('a resubscription carries the framework id at the top level and in framework_info', () => {
    const call = subscribeCall(info, 'fw-1', ['batch']);
    expect(call.framework_id).toEqual({ value: 'fw-1' });
    expect(call.subscribe?.framework_info.id).toEqual({ value: 'fw-1' });
    expect(call.subscribe?.suppressed_roles).toEqual(['batch']);
  });

  it('acknowledges only updates that carry a uuid, and returns the uuid unchanged', () => {
    const uuid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64');
    const status = { task_id: { value: 't' }, agent_id: { value: 'a' }, state: 'TASK_RUNNING' as const };
    expect(acknowledgeCall(status)).toBeUndefined();
    const ack = acknowledgeCall({ ...status, uuid });
    expect(ack?.acknowledge).toEqual({ agent_id: { value: 'a' }, task_id: { value: 't' }, uuid });
    expect(decodeCall(encodeCall({ ...ack!, framework_id: { value: 'f' } })).acknowledge?.uuid).toBe(uuid);
  });

  it('builds ACCEPT with LAUNCH and LAUNCH_GROUP, DECLINE with filters, KILL with a kill policy', () => {
    const task = {
      name: 'web',
      task_id: { value: 't1' },
      agent_id: { value: 'a1' },
      command: { value: 'true' },
    };
    const accept = acceptCall(
      ['o1'],
      [launch([task]), launchGroup({ executor_id: { value: 'e' }, type: 'DEFAULT' }, { tasks: [task] })],
      {
        refuse_seconds: 30,
      },
    );
    expect(accept.accept?.operations?.map((o) => o.type)).toEqual(['LAUNCH', 'LAUNCH_GROUP']);
    expect(declineCall(['o1', 'o2'], { refuse_seconds: 60 }).decline).toEqual({
      offer_ids: [{ value: 'o1' }, { value: 'o2' }],
      filters: { refuse_seconds: 60 },
    });
    expect(killCall('t1', 'a1', { grace_period: { nanoseconds: '5000000000' } }).kill).toEqual({
      task_id: { value: 't1' },
      agent_id: { value: 'a1' },
      kill_policy: { grace_period: { nanoseconds: '5000000000' } },
    });
  });

  it('implicit reconciliation sends no tasks; empty roles mean all roles', () => {
    expect(reconcileCall().reconcile).toEqual({});
    expect(reconcileCall([{ task_id: { value: 't' } }]).reconcile?.tasks).toHaveLength(1);
    expect(suppressCall().suppress).toEqual({});
    expect(reviveCall(['web']).revive).toEqual({ roles: ['web'] });
  });
});

import { describe, expect, it } from 'vitest';
import type { Problem } from '../model/result.js';
import {
  checkBindings,
  expandStatic,
  renderTemplate,
  type StaticScope,
  templateReferences,
} from './template.js';

const launch = {
  role: 'www',
  environment: 'prod',
  name: 'web',
  instance: 3,
  host: 'h0007',
  ports: { http: 31001, admin: 31002 },
};

describe('renderTemplate', () => {
  it('fills ports, instance, host and the job key', () => {
    expect(
      renderTemplate(
        'serve --port={{ports.http}} --admin={{ ports.admin }} -i {{instance}}@{{host}}',
        launch,
      ),
    ).toBe('serve --port=31001 --admin=31002 -i 3@h0007');
    expect(renderTemplate('{{role}}/{{environment}}/{{name}}', launch)).toBe('www/prod/web');
  });

  it('leaves non-variable braces alone', () => {
    expect(renderTemplate("docker inspect --format '{{.State.Status}}' x{{instance}}", launch)).toBe(
      "docker inspect --format '{{.State.Status}}' x3",
    );
  });

  it('throws on a reference it cannot resolve (configs are validated before launch)', () => {
    expect(() => renderTemplate('{{ports.thrift}}', launch)).toThrow(/ports\.thrift/);
    expect(() => renderTemplate('{{cluster}}', launch)).toThrow(/cluster/);
  });

  it('uses bindings left for launch time', () => {
    expect(renderTemplate('{{env.x}}', { ...launch, bindings: { 'env.x': 'y' } })).toBe('y');
  });
});

describe('expandStatic', () => {
  const scope: StaticScope = {
    role: 'www',
    environment: 'prod',
    name: 'web',
    bindings: { tag: 'v1' },
    ports: ['http'],
  };
  const expand = (text: string, launchTime = true): { text: string; problems: Problem[] } => {
    const problems: Problem[] = [];
    return { text: expandStatic(text, scope, 'f', launchTime, problems), problems };
  };

  it('substitutes static variables and bindings only', () => {
    expect(expand('{{name}}:{{tag}} {{ports.http}} {{instance}}')).toEqual({
      text: 'web:v1 {{ports.http}} {{instance}}',
      problems: [],
    });
  });

  it('reports unknown variables listing the bindings', () => {
    expect(expand('{{tga}}').problems[0]?.message).toBe(
      'unknown template variable {{tga}} (known: ports.NAME, instance, host, role, environment, name, cluster, and the bindings tag)',
    );
  });

  it('rejects launch-time variables in static fields', () => {
    expect(expand('{{host}}', false).problems).toHaveLength(1);
    expect(expand('{{ports.http}}', false).problems).toHaveLength(1);
  });

  it('lists the references in a text', () => {
    expect(templateReferences('{{a}} {{ b.c }} {{.X}} {{a}}')).toEqual(['a', 'b.c', 'a']);
  });
});

describe('checkBindings', () => {
  it('accepts dotted names and rejects shadowing, bad names and braces in values', () => {
    expect(checkBindings({ 'profile.version': '1', build_id: '7' })).toEqual([]);
    expect(checkBindings({ host: 'x' })).toHaveLength(1);
    expect(checkBindings({ 'ports.http': '1' })).toHaveLength(1);
    expect(checkBindings({ '1x': 'a' })).toHaveLength(1);
    expect(checkBindings({ x: '{{role}}' })).toHaveLength(1);
  });
});

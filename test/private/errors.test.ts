import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  bindFactoryProblems, ConfigurationError, deferredChecks, factoryProblemsOf, invalid, recordFactoryProblem,
} from '../../src/private/errors';
import { expectSynthErrors, synthErrors } from '../support/errors';

class Widget extends Construct {}

describe('ConfigurationError', () => {
  test('names the class, path, property and problem', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const widget = new Widget(chart, 'w');
    let error: unknown;
    try {
      invalid(widget, 'size', 'is too big: use 3');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toBeInstanceOf(Error);
    const ce = error as ConfigurationError;
    expect(ce.message).toBe("Widget 'chart/w': size: is too big: use 3");
    expect(ce.constructPath).toBe('chart/w');
    expect(ce.property).toBe('size');
    expect(ce.problem).toBe('is too big: use 3');
  });

  test('takes a factory name where there is no construct', () => {
    expect(() => invalid('ContainerImage.fromReference', 'digest', 'is missing')).toThrow('ContainerImage.fromReference: digest: is missing');
  });
});

describe('deferredChecks', () => {
  test('one synth lists every problem of every construct with its path', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'chart');
    const a = new Widget(chart, 'a');
    const b = new Widget(chart, 'b');
    expect(deferredChecks(a).check('name', 'is bad: fix it')).toBe(false);
    expect(deferredChecks(a).check('port', undefined)).toBe(true);
    deferredChecks(a).check('url', 'is http: use https');
    deferredChecks(b).check('cidr', 'is not a CIDR: write 10.0.0.0/8');
    expect(deferredChecks(a)).toBe(deferredChecks(a));
    expect(deferredChecks(a).ok).toBe(false);
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("[chart/a] Widget 'chart/a': name: is bad: fix it");
    expect(message).toContain("[chart/a] Widget 'chart/a': url: is http: use https");
    expect(message).toContain("[chart/b] Widget 'chart/b': cidr: is not a CIDR: write 10.0.0.0/8");
  });

  test('the same problem is reported once', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const a = new Widget(chart, 'a');
    deferredChecks(a).check('name', 'is bad');
    deferredChecks(a).check('name', 'is bad');
    expect(a.node.validate()).toEqual(["Widget 'chart/a': name: is bad"]);
  });

  test('expectSynthErrors reads the problems of one synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'chart');
    deferredChecks(new Widget(chart, 'a')).check('name', 'is bad');
    deferredChecks(new Widget(chart, 'b')).check('port', 'is 0');
    expect(expectSynthErrors(app, [/\[chart\/a\] .*name: is bad/, /\[chart\/b\] .*port: is 0/])).toHaveLength(2);
    expect(synthErrors(Testing.app())).toEqual([]);
  });

  test('a construct without problems synthesizes', () => {
    const chart = new Chart(Testing.app(), 'chart');
    deferredChecks(new Widget(chart, 'a')).check('name', undefined);
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('factory problems', () => {
  test('are reported under the binding construct and property', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const made = {};
    recordFactoryProblem(made, 'digest', 'is not a digest');
    expect(factoryProblemsOf(made)).toEqual([{ property: 'digest', problem: 'is not a digest' }]);
    const w = new Widget(chart, 'w');
    bindFactoryProblems(w, 'image', made);
    bindFactoryProblems(w, 'other', {});
    bindFactoryProblems(w, 'none', undefined);
    expect(w.node.validate()).toEqual(["Widget 'chart/w': image.digest: is not a digest"]);
  });
});

import { App, Chart } from 'cdk8s';
import {
  HardenedWorkflowNamespace, LockedDownDefaultProject, ProjectWithRoles, SecureArgoCD, SecureArgoWorkflows, WorkflowControllerScope,
} from '../../src';
import { expectSynthErrors, synthErrors } from '../support/errors';
import { testChart } from '../support/synth';

const NETWORK = { kubernetesApi: { cidrs: ['172.18.0.2/32'], ports: [6443] } };
const app = (chart: Chart) => App.of(chart) as App;

describe('guard rails', () => {
  test('two SecureArgoCD in one namespace of one app are refused, also across charts; other namespaces or apps are fine', () => {
    const chart = testChart();
    new SecureArgoCD(chart, 'One', { enableLocalAdmin: true, networkPolicies: NETWORK });
    new SecureArgoCD(chart, 'Two', { enableLocalAdmin: true, networkPolicies: NETWORK });
    new SecureArgoCD(chart, 'Three', { namespace: 'argocd-tenant', enableLocalAdmin: true, networkPolicies: NETWORK });
    new SecureArgoCD(new Chart(app(chart), 'elsewhere'), 'Four', { enableLocalAdmin: true, networkPolicies: NETWORK });
    expectSynthErrors(app(chart), [
      /\[test\/Two\] SecureArgoCD 'test\/Two': namespace: Argo CD in namespace 'argocd' is also written by 'test\/One'.*: install each Argo CD in its own namespace.*apps of their own/,
      /\[elsewhere\/Four\] SecureArgoCD 'elsewhere\/Four': namespace: Argo CD in namespace 'argocd' is also written by 'test\/One'/,
    ]);

    const other = testChart();
    new SecureArgoCD(other, 'One', { enableLocalAdmin: true, networkPolicies: NETWORK });
    const second = testChart();
    new SecureArgoCD(second, 'One', { enableLocalAdmin: true, networkPolicies: NETWORK });
    expect(synthErrors(app(other))).toEqual([]);
    expect(synthErrors(app(second))).toEqual([]);
  });

  test("a ProjectWithRoles named 'default' beside LockedDownDefaultProject is refused, in either order and across charts", () => {
    const chart = testChart();
    new LockedDownDefaultProject(chart, 'Default');
    new ProjectWithRoles(new Chart(App.of(chart) as App, 'projects'), 'Mine', {
      name: 'default', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a' }],
    });
    expectSynthErrors(app(chart), [
      /\[projects\/Mine\] ProjectWithRoles 'projects\/Mine': name: AppProject 'default' in namespace 'argocd' is also written by 'test\/Default'.*give each project its own name/,
    ]);

    const reversed = testChart();
    new ProjectWithRoles(reversed, 'Mine', { name: 'default', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'a' }] });
    new LockedDownDefaultProject(reversed, 'Default');
    expectSynthErrors(app(reversed), [/\[test\/Default\] LockedDownDefaultProject 'test\/Default': namespace: AppProject 'default' .* 'test\/Mine'/]);

    const twoTeams = testChart();
    for (const id of ['A', 'B']) {
      new ProjectWithRoles(twoTeams, id, { name: 'team', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'a' }] });
    }
    expectSynthErrors(app(twoTeams), [/\[test\/B\] .*name: AppProject 'team' in namespace 'argocd' is also written by 'test\/A'/]);
  });

  test('the kubernetes Service ClusterIP on 443 is refused where the endpoint is needed', () => {
    const chart = testChart();
    new SecureArgoCD(chart, 'ArgoCD', { enableLocalAdmin: true, networkPolicies: { kubernetesApi: { cidrs: ['10.96.0.1/32'], ports: [443] } } });
    // Argo Workflows in a chart of its own, as a separate cluster might be.
    const wfChart = new Chart(App.of(chart) as App, 'wf');
    const workflows = new SecureArgoWorkflows(wfChart, 'Workflows', {
      controllerScope: WorkflowControllerScope.CLUSTER,
      networkPolicies: { kubernetesApiCidr: '10.43.0.1/32', kubernetesApiPort: 443 },
    });
    new HardenedWorkflowNamespace(wfChart, 'Ci', { name: 'ci', workflows, kubernetesApiCidr: '172.20.0.1/32', kubernetesApiPort: 443 });
    expectSynthErrors(app(chart), [
      /\[test\/ArgoCD\/NetworkPolicies\] .*kubernetesApi.cidrs\[0\]: '10.96.0.1\/32' port 443 looks like the kubernetes Service's ClusterIP.*kubectl get endpoints kubernetes -n default/,
      /\[wf\/Workflows\] .*networkPolicies.kubernetesApiCidr: '10.43.0.1\/32' port 443 looks like the kubernetes Service's ClusterIP/,
      /\[wf\/Ci\] .*kubernetesApiCidr: '172.20.0.1\/32' port 443 looks like/,
    ]);

    // The endpoint itself on 443 (managed control planes) is fine.
    const managed = testChart();
    new SecureArgoCD(managed, 'ArgoCD', { enableLocalAdmin: true, networkPolicies: { kubernetesApi: { cidrs: ['192.168.10.4/32'], ports: [443] } } });
    expect(synthErrors(app(managed))).toEqual([]);
  });
});

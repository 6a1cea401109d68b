import { exampleTest } from '../support/examples';

// The workflow-controller and argo-server call the API server, so their pods mount a token.
exampleTest('workflows', { apiClients: ['workflow-controller', 'argo-server'] });

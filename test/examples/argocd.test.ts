import { exampleTest } from '../support/examples';

exampleTest('argocd');

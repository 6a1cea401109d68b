import { exampleTest } from '../support/examples';

exampleTest('application-sets');

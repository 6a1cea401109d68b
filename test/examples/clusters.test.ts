import { exampleTest } from '../support/examples';

exampleTest('clusters');

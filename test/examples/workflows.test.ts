import { exampleTest } from '../support/examples';

exampleTest('workflows');

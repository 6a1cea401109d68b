import { exampleTest } from '../support/examples';

exampleTest('secrets');

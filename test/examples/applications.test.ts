import { exampleTest } from '../support/examples';

exampleTest('applications');

import { exampleTest } from '../support/examples';

exampleTest('projects');

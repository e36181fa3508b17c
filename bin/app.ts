// The CDK app entry: context (cdk.json and -c key=value) is read once and validated; cdk-nag runs.
import { createMonitorApp } from '../lib/stack/monitor-app';

createMonitorApp();

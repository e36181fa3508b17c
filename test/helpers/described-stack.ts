// The CloudFormation answer the CLI reads the deployed stack from, for tests that mock the SDK.
import type { DescribeStacksCommandOutput, Output } from '@aws-sdk/client-cloudformation';

/** DescribeStacks for the default stack, complete, with these outputs. */
export function describedStack(outputs: Output[]): Pick<DescribeStacksCommandOutput, 'Stacks'> {
  return {
    Stacks: [
      {
        StackName: 'AegisPtHealth',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date('2026-05-01T00:00:00Z'),
        Outputs: outputs,
      },
    ],
  };
}

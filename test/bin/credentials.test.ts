import { isCredentialsProblem } from '../../bin/commands/credentials';

describe('isCredentialsProblem', () => {
  it.each([
    'CredentialsProviderError: Could not load credentials from any providers',
    'CredentialsProviderError: Profile ops was not found.',
    'ExpiredTokenException: The security token included in the request is expired',
    'UnrecognizedClientException: The security token included in the request is invalid.',
    'InvalidClientTokenId: The security token included in the request is invalid',
    'TokenProviderError: The SSO session associated with this profile has expired or is otherwise invalid.',
  ])('is an environment problem: %s', (reason) => {
    expect(isCredentialsProblem(reason)).toBe(true);
  });

  it.each([
    'AccessDeniedException: User is not authorized to perform: ecs:DescribeServices',
    'ThrottlingException: Rate exceeded',
    'service aegis-pt-core not found in cluster aegis-pt (MISSING)',
    'timeout after 5000 ms',
  ])('is a runtime observation, reported by the detector: %s', (reason) => {
    expect(isCredentialsProblem(reason)).toBe(false);
  });
});

// Who hears a notification: one SNS topic each. The pager (SMS) takes what is at or above its
// floor; email and chat take everything.
export type Audience = 'page' | 'email' | 'chat';

export const AUDIENCES: readonly Audience[] = ['page', 'email', 'chat'];

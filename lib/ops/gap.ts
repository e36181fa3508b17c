// Moved to lambda/shared/gap.ts: the Lambda's daily digest counts coverage with the same code.
export * from '../../lambda/shared/gap';

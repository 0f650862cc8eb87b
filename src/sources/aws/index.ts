/**
 * The AWS source: IAM credential report, EC2 instances, IAM authorization details, and the
 * plain IAM CLI list/get outputs.
 */
export { awsCredentialReport } from './credential-report.js';
export { awsEc2Instances } from './ec2-instances.js';
export { awsIamAuthorizationDetails } from './iam-authorization-details.js';
export { awsIamCli } from './iam-cli.js';

/** The AWS source: IAM credential report, EC2 instances, IAM authorization details. */
export { awsCredentialReport } from './credential-report.js';
export { awsEc2Instances } from './ec2-instances.js';
export { awsIamAuthorizationDetails } from './iam-authorization-details.js';

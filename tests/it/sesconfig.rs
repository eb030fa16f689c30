//! sesconfig against the moto server (SES), with the AWS CLI as a second client.

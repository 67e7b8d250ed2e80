/**
 * AWS services in their JSON protocols without the SDK's service clients: one signed POST through the function's
 * REST client, with the SDK's signer, credentials providers and endpoint rules. Secrets Manager (the API token) and
 * DynamoDB (the records) are called this way.
 */
package cloud.phonematch.verify.aws;

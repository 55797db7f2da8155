/**
 * The Inferno test each check mirrors: the suite and the test's id and title as the kits name them
 * (inferno-framework/smart-app-launch-test-kit, suite `smart_stu2_2`; inferno-framework/bulk-data-test-kit, suite
 * `bulk_data_v200`, which reuses the v1.0.1 tests it does not redefine). Checks with no entry go beyond Inferno (the
 * console's own request, scope and launch-context types, R4 validity of every answer).
 */
const smart = (id: string, title: string) => ({ suite: 'smart_stu2_2', test: `${id} — ${title}` });
const bulk = (id: string, title: string) => ({ suite: 'bulk_data_v200', test: `${id} — ${title}` });

const tokenExchange = smart('smart_token_exchange_stu2_2', 'OAuth token exchange request succeeds when supplied correct information');
const tokenBody = smart('smart_token_response_body_stu2_2', 'Token exchange response body contains required information encoded in JSON');
const tokenHeaders = smart('smart_token_response_headers', 'Response includes correct HTTP Cache-Control and Pragma headers');

export const INFERNO_TESTS: Record<string, { suite: string; test: string } | undefined> = {
  'discovery.smart-configuration': smart('well_known_endpoint', 'FHIR server makes SMART configuration available from well-known endpoint'),
  'discovery.smart-configuration-fields': smart('well_known_capabilities_stu2', 'Well-known configuration contains required fields'),
  'discovery.pkce-s256': smart('well_known_capabilities_stu2', 'Well-known configuration contains required fields'),
  'standalone.authorize-request': smart('smart_app_redirect', 'OAuth server redirects client browser to app redirect URI'),
  'standalone.code-received': smart('smart_code_received', 'OAuth server sends code parameter'),
  'standalone.state-returned': smart('smart_code_received', 'OAuth server sends code parameter'),
  'standalone.token-success': tokenExchange,
  'standalone.token-response-body': tokenBody,
  'standalone.token-response-headers': tokenHeaders,
  'standalone.launch-context': tokenBody,
  'openid.configuration': smart('smart_openid_required_configuration_fields', 'OpenID Connect well-known configuration contains all required fields'),
  'openid.id-token-present': smart('smart_openid_decode_id_token', 'ID token can be decoded'),
  'openid.id-token-claims': smart('smart_openid_token_payload', 'ID token payload has required claims and a valid signature'),
  'openid.id-token-signature': smart('smart_openid_token_payload', 'ID token payload has required claims and a valid signature'),
  'openid.jwks': smart('smart_openid_retrieve_jwks', 'JWKS can be retrieved'),
  'openid.fhir-user': smart('smart_openid_token_payload', 'ID token payload has required claims and a valid signature'),
  'openid.fhir-user-resolves': smart('smart_openid_fhir_user_claim', 'FHIR resource representing the current user can be retrieved'),
  'refresh.token-success': smart('smart_token_refresh_stu2', 'Server successfully refreshes the access token when optional scope parameter omitted'),
  'refresh.without-scopes': smart('smart_token_refresh_stu2', 'Server successfully refreshes the access token when optional scope parameter omitted'),
  'refresh.token-response-body': smart('smart_token_refresh_body', 'Token refresh response contains all required fields'),
  'refresh.token-response-headers': tokenHeaders,
  'backend.token-success': smart('smart_backend_services_auth_request_success', 'Authorization request succeeds when supplied correct information'),
  'backend.token-response-body': smart('smart_backend_services_auth_response_body', 'Authorization request response body contains required information encoded in JSON'),
  'backend.invalid-grant-type': smart('smart_backend_services_invalid_grant_type', 'Authorization request fails when client supplies invalid grant_type'),
  'backend.invalid-assertion-type': smart('smart_backend_services_invalid_client_assertion', 'Authorization request fails when supplied invalid client_assertion_type'),
  'backend.invalid-jwt': smart('smart_backend_services_invalid_jwt', 'Authorization request fails when client supplies invalid JWT token'),
  'introspection.response': smart('smart_token_introspection_response_group', 'Token introspection response for an active token contains required fields'),
  'introspection.inactive': smart('smart_token_introspection_response_group', 'Token introspection response for an invalid token contains required fields'),
  'bulk.capability-operations': bulk('bulk_data_export_operation_support', 'Bulk Data Server declares support for particular bulk data export operation in CapabilityStatement'),
  'bulk.kickoff-without-token': bulk('bulk_data_no_auth_reject', 'Bulk Data Server rejects $export request without authorization'),
  'bulk.kickoff-accepted': bulk('bulk_data_kick_off', 'Bulk Data Server returns "202 Accepted" and "Content-location" for bulk data $export operations'),
  'bulk.kickoff-patient': bulk('bulk_data_kick_off', 'Bulk Data Server returns "202 Accepted" and "Content-location" for bulk data $export operations'),
  'bulk.kickoff-group': bulk('bulk_data_group_kick_off', 'Bulk Data Server returns "202 Accepted" and "Content-location" for bulk data $export operations'),
  'bulk.kickoff-system': bulk('bulk_data_kick_off', 'Bulk Data Server returns "202 Accepted" and "Content-location" for bulk data $export operations'),
  'bulk.status-in-progress': bulk('bulk_data_status_check', 'Bulk Data Server returns "202 Accepted" or "200 OK" for status check'),
  'bulk.manifest': bulk('bulk_data_output_check', 'Bulk Data Server returns output with type and url for status complete'),
  'bulk.download': bulk('bulk_data_ndjson_download', 'NDJSON download requires access token if requireAccessToken is true'),
  'bulk.since': bulk('since_in_export_response', 'Bulk Data Server supports "_since" query parameter for bulk data export'),
  'bulk.output-format': bulk('output_format_in_export_response', 'Bulk Data Server supports "_outputFormat" query parameter for bulk data export'),
  'bulk.cancel': bulk('bulk_data_export_cancel', 'Bulk Data Server returns "202 Accepted" for delete request'),
  'bulk.cancel-then-gone': bulk('bulk_data_export_cancel_stu2', 'Bulk Data Server returns a 404 and OperationOutcome for polling requests to cancelled exports'),
  'fhir.resource-valid': bulk('bulk_data_valid_resources', 'All resources returned are valid FHIR resources'),
};

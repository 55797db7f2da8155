/** Buttons outside the form ("Authorize again" after a dead refresh token) submit it through this id. */
export const TOKEN_REQUEST_FORM_ID = 'token-request-form';

/** The form's one action button (Get token or Authorize), for "bring the next step into view". */
export const TOKEN_ACTION_ID = 'token-action';

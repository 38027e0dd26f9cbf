/** What a username and a phone number may look like, at registration and in PATCH /v1/me. */
export const USERNAME = /^[a-zA-Z0-9_.-]{3,32}$/;
export const PHONE = /^\+?[0-9 ()-]{6,20}$/;

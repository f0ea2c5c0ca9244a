-- A calendar link can be shown to its owner again (issue 25 §6) without being kept: its secret is
-- an HMAC, under VOLOPS_LINK_KEY, of this random part. The database alone never gives the link
-- back; a link made before (or without the key) has none and can only be replaced.
ALTER TABLE feed_subscriptions ADD COLUMN link_nonce bytea CHECK (octet_length(link_nonce) = 32);

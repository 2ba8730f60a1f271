-- Housekeeping's link prune (realty.core.housekeeping.LinkPrune) deletes expired invitation and
-- password-reset rows oldest first; these indexes keep each batch an index range scan.
CREATE INDEX password_reset_requests_expires ON password_reset_requests (expires_at);
CREATE INDEX user_invitations_expires ON user_invitations (expires_at);

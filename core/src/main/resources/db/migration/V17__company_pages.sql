-- Issue 16, item 1: one company's page of GET /users is a range of this index in user id order
-- (UserRepository.list, a LATERAL per company as GET /sales has). On company_id alone the index gave no
-- user order, so a page read and sorted all of the company's members. Same name: it serves every
-- "the company's users" look-up as before.
DROP INDEX user_companies_company;
CREATE INDEX user_companies_company ON user_companies (company_id, user_id);

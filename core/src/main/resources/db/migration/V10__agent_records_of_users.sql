-- Agent records follow their users (issue 14, item 6): every user holding the agent or prospector
-- profile has an agent record in each of their companies. The API keeps this true from now on
-- (UserAgentLink); this backfills users created before, so ProspectorAutoAssign finds them too.
INSERT INTO agents (id, company_id, user_id, name)
SELECT gen_random_uuid(), uc.company_id, u.id, u.name
FROM users u
JOIN user_companies uc ON uc.user_id = u.id
WHERE EXISTS (SELECT 1 FROM user_profiles p WHERE p.user_id = u.id AND p.profile IN ('agent', 'prospector'))
  AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.company_id = uc.company_id AND a.user_id = u.id);

-- A volunteer who stops stays a member as "former_volunteer": her hours stay hers in the
-- reports and she can still read them, but nothing that looks for volunteers finds her.
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check
    CHECK (role IN ('coordinator', 'volunteer', 'partner_contact', 'former_volunteer'));

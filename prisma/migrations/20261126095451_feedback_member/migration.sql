-- Responses of members deleted before this constraint keep their score, without the member.
UPDATE "Feedback" SET "memberId" = NULL
WHERE "memberId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Member" m WHERE m.id = "Feedback"."memberId");

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

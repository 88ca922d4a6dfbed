-- AddForeignKey
ALTER TABLE "SurpriseRecipient" ADD CONSTRAINT "SurpriseRecipient_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

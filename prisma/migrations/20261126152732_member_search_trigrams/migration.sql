-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Member_email_trgm_idx" ON "Member" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Member_firstName_trgm_idx" ON "Member" USING GIN ("firstName" gin_trgm_ops);

-- The minute's message collection reads the last two days of each source across all
-- shops (ledger entries, paid orders, issued codes, tier events, enrolments).
-- CreateIndex
CREATE INDEX "Member_enrolledAt_idx" ON "Member"("enrolledAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_createdAt_idx" ON "LedgerEntry"("createdAt");

-- CreateIndex
CREATE INDEX "Order_paidAt_idx" ON "Order"("paidAt");

-- CreateIndex
CREATE INDEX "Redemption_updatedAt_idx" ON "Redemption"("updatedAt");

-- CreateIndex
CREATE INDEX "TierEvent_createdAt_idx" ON "TierEvent"("createdAt");

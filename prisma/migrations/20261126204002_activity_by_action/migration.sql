-- CreateIndex
CREATE INDEX "ActivityLog_shopId_action_idx" ON "ActivityLog"("shopId", "action");

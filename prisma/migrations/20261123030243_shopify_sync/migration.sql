-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "programSyncedVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "programVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "syncLeaseUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "syncVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "syncedTags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "syncedVersion" INTEGER NOT NULL DEFAULT 0;

-- Mark what Shopify shows as changed, whichever code path (Prisma or set-based SQL)
-- changed it. The sync job pushes rows whose version moved past the pushed one.
CREATE FUNCTION comeback_member_sync_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance
     OR NEW."tierId" IS DISTINCT FROM OLD."tierId"
     OR NEW."lifetimeEarned" IS DISTINCT FROM OLD."lifetimeEarned"
     OR NEW."totalSpentMinor" IS DISTINCT FROM OLD."totalSpentMinor"
     OR NEW."orderCount" IS DISTINCT FROM OLD."orderCount"
     OR NEW.status IS DISTINCT FROM OLD.status THEN
    NEW."syncVersion" := OLD."syncVersion" + 1;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Member_sync_version" BEFORE UPDATE ON "Member"
  FOR EACH ROW EXECUTE FUNCTION comeback_member_sync_version();

CREATE FUNCTION comeback_shop_program_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."programStatus" IS DISTINCT FROM OLD."programStatus" OR NEW.currency IS DISTINCT FROM OLD.currency THEN
    NEW."programVersion" := OLD."programVersion" + 1;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Shop_program_version" BEFORE UPDATE ON "Shop"
  FOR EACH ROW EXECUTE FUNCTION comeback_shop_program_version();

-- Settings, rules, tiers and rewards are what the storefront's program metafield holds.
-- A tier change also renames the tier members show, so their rows are marked too.
CREATE FUNCTION comeback_program_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shop uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD."shopId" ELSE NEW."shopId" END;
BEGIN
  UPDATE "Shop" SET "programVersion" = "programVersion" + 1 WHERE id = shop;
  -- Nested: PL/pgSQL does not short-circuit, and other tables have no NEW.name.
  IF TG_TABLE_NAME = 'Tier' AND TG_OP = 'UPDATE' THEN
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.position IS DISTINCT FROM OLD.position
        OR NEW.threshold IS DISTINCT FROM OLD.threshold OR NEW."multiplierBp" IS DISTINCT FROM OLD."multiplierBp"
        OR NEW."freeShipping" IS DISTINCT FROM OLD."freeShipping" OR NEW."earlyAccess" IS DISTINCT FROM OLD."earlyAccess"
        OR NEW."customerTag" IS DISTINCT FROM OLD."customerTag" THEN
      UPDATE "Member" SET "syncVersion" = "syncVersion" + 1 WHERE "shopId" = shop;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "ShopSettings_program_changed" AFTER INSERT OR UPDATE OR DELETE ON "ShopSettings"
  FOR EACH ROW EXECUTE FUNCTION comeback_program_changed();
CREATE TRIGGER "EarningRule_program_changed" AFTER INSERT OR UPDATE OR DELETE ON "EarningRule"
  FOR EACH ROW EXECUTE FUNCTION comeback_program_changed();
CREATE TRIGGER "Tier_program_changed" AFTER INSERT OR UPDATE OR DELETE ON "Tier"
  FOR EACH ROW EXECUTE FUNCTION comeback_program_changed();
CREATE TRIGGER "Reward_program_changed" AFTER INSERT OR UPDATE OR DELETE ON "Reward"
  FOR EACH ROW EXECUTE FUNCTION comeback_program_changed();

#include "auth/permission.h"

#include <gtest/gtest.h>

namespace ferry::auth {
namespace {

TEST(PermissionTest, NamesRoundTrip) {
  for (Permission p : {Permission::kNoPermissions, Permission::kRead, Permission::kUse,
                       Permission::kEdit, Permission::kManage}) {
    EXPECT_EQ(ParsePermission(PermissionName(p)), p) << PermissionName(p);
  }
  EXPECT_EQ(PermissionName(Permission::kEdit), "EDIT");
  EXPECT_EQ(PermissionName(Permission::kNoPermissions), "NO_PERMISSIONS");
}

TEST(PermissionTest, ParseIsExactAndCaseSensitive) {
  EXPECT_EQ(ParsePermission("MANAGE"), Permission::kManage);
  EXPECT_EQ(ParsePermission("manage"), std::nullopt);
  EXPECT_EQ(ParsePermission(" READ"), std::nullopt);
  EXPECT_EQ(ParsePermission(""), std::nullopt);
}

TEST(PermissionTest, InvalidMessageIsMlflows) {
  EXPECT_EQ(InvalidPermissionMessage("WRITE"),
            "Invalid permission 'WRITE'. Valid permissions are: ('READ', 'USE', 'EDIT', "
            "'MANAGE', 'NO_PERMISSIONS')");
}

TEST(PermissionTest, EachLevelIncludesTheOnesBelow) {
  struct {
    Permission p;
    bool read, use, update, del, manage;
  } cases[] = {
      {Permission::kNoPermissions, false, false, false, false, false},
      {Permission::kRead, true, false, false, false, false},
      {Permission::kUse, true, true, false, false, false},
      {Permission::kEdit, true, true, true, false, false},
      {Permission::kManage, true, true, true, true, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(PermissionName(c.p));
    EXPECT_EQ(CanRead(c.p), c.read);
    EXPECT_EQ(CanUse(c.p), c.use);
    EXPECT_EQ(CanUpdate(c.p), c.update);
    EXPECT_EQ(CanDelete(c.p), c.del);
    EXPECT_EQ(CanManage(c.p), c.manage);
  }
}

}  // namespace
}  // namespace ferry::auth

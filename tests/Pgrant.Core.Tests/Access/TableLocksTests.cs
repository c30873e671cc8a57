using Pgrant.Core.Access;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Tests.Access;

public sealed class TableLocksTests
{
    [Theory]
    [InlineData("LOCK jobs", "jobs", TableLockMode.AccessExclusive)]
    [InlineData("lock table only app.jobs, \"Other T\" * in share row exclusive mode nowait", "app.jobs|\"Other T\"", TableLockMode.ShareRowExclusive)]
    [InlineData("LOCK TABLE \"select\" IN ACCESS SHARE MODE", "\"select\"", TableLockMode.AccessShare)]
    [InlineData("LOCK TABLE t IN ROW EXCLUSIVE MODE", "t", TableLockMode.RowExclusive)]
    public void ReadsTheTablesAndTheMode(string sql, string tables, TableLockMode mode)
    {
        var l = TableLocks.Parse(sql);
        Assert.NotNull(l);
        Assert.Equal(tables, string.Join("|", l.Tables));
        Assert.Equal(mode, l.Mode);
    }

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("LOCK")]
    [InlineData("")]
    public void AnythingElseIsNoLock(string sql) => Assert.Null(TableLocks.Parse(sql));

    // The server's answers, tried on 13–18 (ExplainLockAndDefaultsTests proves the least grant per mode on each).
    [Theory]
    [InlineData(15, TableLockMode.AccessShare, "SELECT")]
    [InlineData(15, TableLockMode.RowShare, "UPDATE, DELETE, TRUNCATE")]
    [InlineData(15, TableLockMode.RowExclusive, "INSERT, UPDATE, DELETE, TRUNCATE")]
    [InlineData(15, TableLockMode.AccessExclusive, "UPDATE, DELETE, TRUNCATE")]
    [InlineData(16, TableLockMode.AccessShare, "INSERT, SELECT, UPDATE, DELETE, TRUNCATE")]
    [InlineData(16, TableLockMode.RowShare, "INSERT, UPDATE, DELETE, TRUNCATE")]
    [InlineData(17, TableLockMode.Exclusive, "UPDATE, DELETE, TRUNCATE, MAINTAIN")]
    public void TheModesAcceptWhatTheServerAccepts(int major, TableLockMode mode, string privileges) =>
        Assert.Equal(privileges, string.Join(", ", Privileges.Split(TableLocks.Allowing(mode, major)).Select(Privileges.SqlName)));

    [Fact]
    public void TheLeastGrantIsAlwaysOneTheModeAccepts()
    {
        foreach (var major in new[] { 13, 14, 15, 16, 17, 18 })
            foreach (var mode in Enum.GetValues<TableLockMode>())
                Assert.NotEqual(Privilege.None, TableLocks.Least(mode, major) & TableLocks.Allowing(mode, major));
    }
}

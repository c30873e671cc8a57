namespace Pgrant.Core.Tests.Acl;

public sealed class AclValidationTests
{
    [Theory]
    [InlineData(ObjectKind.Sequence, 15, "rwU")]
    [InlineData(ObjectKind.Table, 16, "arwdDxt")]
    [InlineData(ObjectKind.Table, 17, "arwdDxtm")]
    [InlineData(ObjectKind.View, 18, "arwdDxtm")]
    [InlineData(ObjectKind.Column, 18, "arwx")]
    [InlineData(ObjectKind.Schema, 13, "UC")]
    [InlineData(ObjectKind.Database, 13, "CTc")]
    [InlineData(ObjectKind.Function, 18, "X")]
    [InlineData(ObjectKind.Procedure, 18, "X")]
    [InlineData(ObjectKind.Type, 18, "U")]
    [InlineData(ObjectKind.Language, 18, "U")]
    [InlineData(ObjectKind.Tablespace, 18, "C")]
    [InlineData(ObjectKind.ForeignServer, 18, "U")]
    [InlineData(ObjectKind.LargeObject, 18, "rw")]
    [InlineData(ObjectKind.Parameter, 15, "sA")]
    [InlineData(ObjectKind.Parameter, 14, "")]
    public void LegalLettersPerKindAndVersion(ObjectKind kind, int major, string letters)
    {
        Assert.Equal(letters, Privileges.ToLetters(AclValidation.Legal(kind, major)));
    }

    [Fact]
    public void InsertOnASequenceIsIllegal()
    {
        var item = AclItem.Parse("sdc=arU/postgres");
        var problem = Assert.Single(AclValidation.Check(item, ObjectKind.Sequence, 15));
        Assert.Equal(Privilege.Insert, problem.Privilege);
        Assert.Equal('a', problem.Letter);
        Assert.Equal("INSERT ('a') is not a privilege of sequences (they take SELECT 'r', UPDATE 'w', USAGE 'U')", problem.Reason);
    }

    [Fact]
    public void MaintainBefore17IsReportedAsTooNew()
    {
        var problem = Assert.Single(AclValidation.Check(Privilege.Maintain | Privilege.Select, ObjectKind.Table, 16));
        Assert.Equal("MAINTAIN ('m') exists only from PostgreSQL 17; this is 16", problem.Reason);
        Assert.Empty(AclValidation.Check(Privilege.Maintain, ObjectKind.Table, 17));
    }

    [Fact]
    public void SetAndAlterSystemOnlyOnParametersFrom15()
    {
        Assert.Equal(Privilege.Set | Privilege.AlterSystem,
            AclValidation.Illegal(Privilege.Set | Privilege.AlterSystem, ObjectKind.Parameter, 14));
        Assert.Equal(Privilege.None, AclValidation.Illegal(Privilege.Set | Privilege.AlterSystem, ObjectKind.Parameter, 15));
        var onTable = AclValidation.Check(Privilege.Set, ObjectKind.Table, 18);
        Assert.Equal("SET ('s') is not a privilege of tables (they take INSERT 'a', SELECT 'r', UPDATE 'w', DELETE 'd', TRUNCATE 'D', REFERENCES 'x', TRIGGER 't', MAINTAIN 'm')",
            Assert.Single(onTable).Reason);
    }

    [Fact]
    public void GrantOptionsAreCheckedToo()
    {
        var item = new AclItem("sdc", "postgres", Privilege.None, Privilege.Connect);
        Assert.Equal(Privilege.Connect, Assert.Single(AclValidation.Check(item, ObjectKind.Schema, 18)).Privilege);
    }

    [Fact]
    public void ProblemsComeInServerLetterOrder()
    {
        var problems = AclValidation.Check(Privilege.Connect | Privilege.Insert | Privilege.Execute, ObjectKind.Schema, 18);
        Assert.Equal("aXc", new string(problems.Select(p => p.Letter).ToArray()));
    }

    [Theory]
    [InlineData(Privilege.Set, 15)]
    [InlineData(Privilege.AlterSystem, 15)]
    [InlineData(Privilege.Maintain, 17)]
    [InlineData(Privilege.Usage, 13)]
    public void IntroducedIn(Privilege p, int major) => Assert.Equal(major, AclValidation.IntroducedIn(p));
}

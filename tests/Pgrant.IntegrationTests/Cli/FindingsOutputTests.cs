using System.Collections.Immutable;
using System.Text.Json;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core.Acl;

namespace Pgrant.IntegrationTests.Cli;

/// <summary>`check` output without a server: the text blocks and their limits, and streamed JSON.</summary>
public sealed class FindingsOutputTests
{
    private static Finding Info(int i) => new(SerialColumn.Rule, Severity.Info, "db", "s", $"s.t{i:000}", ObjectKind.Table, null,
        $"column id of s.t{i:000} is a serial column",
        [new SerialToIdentity(new SqlObject(ObjectKind.Table, "s", $"t{i:000}"), "id", new SqlObject(ObjectKind.Sequence, "s", $"t{i:000}_id_seq"),
            new SequenceSettings(1, 1, int.MaxValue, false), "an identity column needs no sequence grant")]);

    private static string Text(AuditResult result)
    {
        var output = new StringWriter();
        FindingsRenderer.Text(ConsoleFactory.Create(output, false, null), result);
        return output.ToString();
    }

    [Fact]
    public void Info_findings_beyond_the_limit_are_counted_per_rule_and_errors_are_listed_with_their_fix()
    {
        var error = new Finding(SequenceUsageMissing.Rule, Severity.Error, "db", "s", "s.t000_id_seq", ObjectKind.Sequence, "app",
            "app may INSERT into s.t000 but cannot call nextval()",
            [new GrantPrivileges(Privilege.Usage, new SqlObject(ObjectKind.Sequence, "s", "t000_id_seq"), "app", "nextval() needs USAGE")]);
        var infos = Enumerable.Range(0, FindingsRenderer.MaxInfoRows + 5).Select(Info);
        var text = Text(new AuditResult([error, .. infos], [], [SequenceUsageMissing.Rule, SerialColumn.Rule]));

        Assert.Contains("Errors (1)", text);
        Assert.Contains("PGR001 sequence-usage-missing  db: sequence s.t000_id_seq  role app\n  app may INSERT into s.t000 but cannot call nextval()\n    GRANT USAGE ON SEQUENCE s.t000_id_seq TO app;\n", text);
        Assert.Contains($"Info ({FindingsRenderer.MaxInfoRows + 5})", text);
        Assert.Contains($"ALTER TABLE s.t{FindingsRenderer.MaxInfoRows - 1:000} ALTER COLUMN id DROP DEFAULT;", text);
        Assert.DoesNotContain($"s.t{FindingsRenderer.MaxInfoRows:000} ALTER COLUMN", text);
        Assert.Contains("… and 5 more: PGR009 5 (--format json or --fix-script lists every finding)", text);
        Assert.Contains($"1 error(s), 0 warning(s), {FindingsRenderer.MaxInfoRows + 5} info; 2 rules run.", text);
        Assert.DoesNotContain("\u001b[", text);
    }

    [Fact]
    public void Control_characters_in_names_cannot_reach_the_terminal_and_line_breaks_stay_indented()
    {
        var hostile = new Finding(SequenceUsageMissing.Rule, Severity.Error, "db", "s", "s.\"evil\u001b[2J\"", ObjectKind.Sequence, "a\rb",
            "line one\nline two \u001b]0;title\u0007",
            [new GrantPrivileges(Privilege.Usage, new SqlObject(ObjectKind.Sequence, "s", "evil\u001b[2J"), "app", "nextval() needs USAGE")]);
        var text = Text(new AuditResult([hostile], [], [SequenceUsageMissing.Rule]));

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\r', text);
        Assert.Contains("db: sequence s.\"evil\uFFFD[2J\"  role a\uFFFDb\n  line one\n  line two \uFFFD]0;title\uFFFD\n", text);
    }

    [Fact]
    public void Streamed_json_is_the_document_serialized_whole()
    {
        var findings = Enumerable.Range(0, 3000).Select(Info).ToImmutableArray();
        var result = new AuditResult(findings, ["something é ü 中"], [SerialColumn.Rule]);
        var streamed = new StringWriter();
        JsonOutput.Write(streamed, FindingsJson.Document(result));

        var whole = JsonSerializer.Serialize(FindingsJson.Document(result), JsonOutput.Options) + Environment.NewLine;
        Assert.Equal(whole, streamed.ToString());
        var doc = JsonDocument.Parse(streamed.ToString()).RootElement;
        Assert.Equal(3000, doc.GetProperty("findings").GetArrayLength());
        Assert.Equal("ALTER TABLE s.t2999 ALTER COLUMN id DROP DEFAULT;", doc.GetProperty("findings")[2999].GetProperty("fix")[1].GetString());
        Assert.Equal(["something é ü 中"], doc.GetProperty("summary").GetProperty("not_read").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }
}

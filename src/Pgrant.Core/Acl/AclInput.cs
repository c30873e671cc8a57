using System.Collections.Immutable;
using Pgrant.Core.Acl.Psql;

namespace Pgrant.Core.Acl;

/// <summary>
/// Reads whatever a person pastes about ACLs and says which form it was: pasted psql output
/// (\l, \dp, \ddp …), an aclitem[] literal, or aclitems one per line (each line may also be an
/// array literal). Malformed text raises <see cref="AclFormatException"/> against the whole input.
/// </summary>
public static class AclInput
{
    /// <summary>Reads pasted ACL text into one listing per object (or per literal, or per run of loose aclitems).</summary>
    /// <exception cref="AclFormatException">The text is blank, or no form fits it; positions refer to the whole <paramref name="text"/>.</exception>
    public static ImmutableArray<AclListing> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim().Length == 0)
            throw new AclFormatException(text, 0, "an ACL item (grantee=privileges/grantor), an aclitem[] literal ({…}) or pasted psql output");
        if (PsqlAclPaste.LooksLikePsql(text))
        {
            var listings = PsqlAclPaste.Parse(text);
            if (listings.IsEmpty)
                throw new AclFormatException(text, 0, "psql output with an \"Access privileges\" column (\\l, \\dp, \\z, \\ddp, \\dn+)");
            return listings;
        }
        var result = ImmutableArray.CreateBuilder<AclListing>();
        var loose = ImmutableArray.CreateBuilder<AclItem>();
        foreach (var (start, length) in Lines(text))
        {
            var line = text.Substring(start, length);
            var trimmed = line.TrimStart();
            try
            {
                if (trimmed.StartsWith('{'))
                {
                    if (loose.Count > 0) { result.Add(AclListing.FromItems(loose.ToImmutable())); loose.Clear(); }
                    result.Add(AclListing.FromItems(AclItem.ParseArray(line)));
                }
                else loose.Add(AclItem.Parse(line));
            }
            catch (AclFormatException e)
            {
                throw new AclFormatException(text, start + e.Position, e.Expected);
            }
        }
        if (loose.Count > 0) result.Add(AclListing.FromItems(loose.ToImmutable()));
        return result.ToImmutable();
    }

    /// <summary>Non-blank lines, split at newlines outside double quotes (a role name may hold one).</summary>
    private static IEnumerable<(int Start, int Length)> Lines(string text)
    {
        var inQuotes = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] == '"') inQuotes = !inQuotes;
            if (i == text.Length || (text[i] is '\n' or '\r' && !inQuotes))
            {
                if (text.AsSpan(start, i - start).Trim().Length > 0) yield return (start, i - start);
                start = i + 1;
            }
        }
    }
}

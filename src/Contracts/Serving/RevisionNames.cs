using System.Globalization;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>Revision naming (placeholder; replaced by the full rule set).</summary>
public static class RevisionNames
{
    /// <summary><c>{config}-{generation:D5}</c>.</summary>
    public static string RevisionName(string configurationName, long generation) =>
        configurationName + "-" + generation.ToString("D5", CultureInfo.InvariantCulture);
}

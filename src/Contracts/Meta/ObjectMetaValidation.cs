using Knative.Orleans.Contracts.Errors;

namespace Knative.Orleans.Contracts.Meta;

/// <summary>knative.dev/pkg <c>apis.ValidateObjectMetadata</c>: the name rules of a top-level object, paths relative to <c>metadata</c>.</summary>
internal static class ObjectMetaValidation
{
    /// <summary>
    /// <c>generateName</c> must be a DNS-1035 label prefix and <c>name</c> a DNS-1035 label; one of them is required.
    /// Like Knative, reports only the first problem.
    /// </summary>
    public static FieldErrors Names(ObjectMeta? meta)
    {
        var name = meta?.Name ?? "";
        var generateName = meta?.GenerateName ?? "";
        if (generateName.Length > 0 && NameRules.Dns1035Name(generateName, prefix: true) is { Count: > 0 } prefixErrors)
        {
            return FieldErrors.Of("not a DNS 1035 label prefix: " + NameRules.GoList(prefixErrors), null, "generateName");
        }

        if (name.Length > 0 && NameRules.Dns1035Name(name, prefix: false) is { Count: > 0 } nameErrors)
        {
            return FieldErrors.Of("not a DNS 1035 label: " + NameRules.GoList(nameErrors), null, "name");
        }

        return name.Length == 0 && generateName.Length == 0
            ? FieldErrors.Of("name or generateName is required", null, "name")
            : FieldErrors.None;
    }
}

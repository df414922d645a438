namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>The three primitive CESQL v1 types (spec 3.1). <c>default</c> is <see cref="Boolean"/>.</summary>
public enum CesqlType
{
    /// <summary><c>true</c> or <c>false</c>; zero value <c>false</c>.</summary>
    Boolean = 0,

    /// <summary>Signed 32-bit integer; zero value <c>0</c>.</summary>
    Integer = 1,

    /// <summary>Sequence of Unicode characters; zero value <c>""</c>.</summary>
    String = 2,
}

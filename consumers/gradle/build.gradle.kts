// The Kotlin DSL form of build.gradle (the README's Gradle snippet). Not run in CI: the only
// Gradle these machines can install is Debian's 4.4.1, which has no Kotlin DSL (see build.gradle
// and .ci/gradle-consumer, which checks that both files declare the same dependencies).

plugins {
    java
    application
}

val lovaszVersion = "0.1.0-SNAPSHOT"
val djlVersion = "0.36.0"

repositories {
    mavenLocal()   // djl-lovasz, from `mvn install`
    mavenCentral() // DJL
}

dependencies {
    implementation("io.github.djllovasz:djl-lovasz:$lovaszVersion")
    implementation("ai.djl:api:$djlVersion")
    runtimeOnly("ai.djl.pytorch:pytorch-engine:$djlVersion")
    runtimeOnly("ai.djl.pytorch:pytorch-jni:2.7.1-$djlVersion")
    runtimeOnly("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64")
}

java {
    sourceCompatibility = JavaVersion.VERSION_11
    targetCompatibility = JavaVersion.VERSION_11
}

sourceSets {
    main {
        java {
            srcDir("../../djl-lovasz-examples/src/main/java")
            include("io/github/djllovasz/examples/QuickStart.java")
        }
    }
}

application {
    mainClass.set("io.github.djllovasz.examples.QuickStart")
}

tasks.named<JavaExec>("run") {
    args("2") // epochs
}

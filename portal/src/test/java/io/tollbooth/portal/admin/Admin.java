package io.tollbooth.portal.admin;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Requests to the admin API as an authorised caller, with the token the test profile configures. */
final class Admin {

    static final String TOKEN = "test-admin-token";

    private Admin() {
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON);
    }

    /** Creates a resource and returns its id, asserting 201. */
    static String create(String path, Map<String, ?> body) {
        return admin().body(body).when().post(path).then().statusCode(201).extract().path("id");
    }
}
